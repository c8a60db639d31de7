/**
 * Isomorphic model of the data mesh suite for Backstage: the DataProduct kind, its JSON schema
 * and validators, SLA parsing, and the data-mesh additions to the catalog's Domain kind.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './sla';
export * from './relations';
export * from './contracts';
export * from './contractDiff';
export { jsonPointerToPath } from './jsonPointer';
export { canonicalJson } from './canonicalJson';
export * from './descriptors';
export * from './validation';
export * from './health';
export * from './permissions';
export * from './quality';
export * from './api';
export * from './governance';
