/**
 * Benchmarks of the data mesh suite; run `yarn bench:catalog` from the repository root.
 *
 * @packageDocumentation
 */
export { writeSet, generateEntities, BENCH_DOMAINS } from './catalog/generate';
export type { GeneratedSet, MeshKind } from './catalog/generate';
export { measure } from './catalog/measure';
export type { Measurement, MeasureOptions } from './catalog/measure';
