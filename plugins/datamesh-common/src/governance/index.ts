/*
 * Federated computational governance: policies as data (a CEL rule over a product's facts), the
 * guide's global policies as defaults, and the one evaluator the backend, the golden paths'
 * validation and the command-line tool share.
 */
export * from './types';
export * from './schema';
export * from './engine';
export * from './defaults';
export * from './effective';
export * from './check';
export * from './evaluateProduct';
export * from './client';
