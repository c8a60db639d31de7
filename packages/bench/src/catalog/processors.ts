import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  CatalogProcessor,
  CatalogProcessorEmit,
} from '@backstage/plugin-catalog-node';
import { BuiltinKindsEntityProcessor } from '@backstage/plugin-catalog-backend';
import {
  DataMeshEntitiesProcessor,
  DataProductHealthLabelProcessor,
  HealthLabelSnapshot,
} from '@backstage-datamesh/plugin-catalog-backend-module-datamesh';
import { generateEntities, MeshKind } from './generate';

/** CPU time of the kind-specific processors alone, per entity, in microseconds. */
export interface ProcessorCost {
  kind: MeshKind;
  microsPerEntity: number;
  emitted: number;
}

/**
 * Runs the processors that tell the two kinds apart (the catalog's BuiltinKindsEntityProcessor and
 * the data mesh module's processors, with the health label of every product known) over
 * generated entities in this process, the way the catalog's processing loop calls them:
 * `preProcessEntity` of each, `validateEntityKind` until one accepts, then `postProcessEntity`
 * of each. Everything else the catalog does per entity is the same for both
 * kinds; this isolates what the DataProduct kind itself costs.
 */
export async function measureProcessors(
  kind: MeshKind,
  n: number,
): Promise<ProcessorCost> {
  const entities = generateEntities(kind, n) as Entity[];
  // every product has a health, as in a portal whose data mesh backend has evaluated them
  const health = new HealthLabelSnapshot();
  health.replace(
    entities.map(e => ({
      entityRef: stringifyEntityRef(e),
      health: 'healthy',
      since: '2026-12-01T00:00:00Z',
    })),
  );
  const processors: CatalogProcessor[] = [
    new BuiltinKindsEntityProcessor(),
    new DataMeshEntitiesProcessor(),
    new DataProductHealthLabelProcessor(health),
  ];
  const location = { type: 'file', target: '/bench/catalog-info.yaml' };
  const cache = { get: async () => undefined, set: async () => {} };
  let emitted = 0;
  const emit: CatalogProcessorEmit = () => {
    emitted++;
  };
  const run = async () => {
    for (const read of entities) {
      let entity = read;
      for (const p of processors) {
        entity =
          (await p.preProcessEntity?.(
            entity,
            location,
            emit,
            location,
            cache,
          )) ?? entity;
      }
      for (const p of processors) {
        if (await p.validateEntityKind?.(entity)) {
          break;
        }
      }
      for (const p of processors) {
        await p.postProcessEntity?.(entity, location, emit, cache);
      }
    }
  };
  await run(); // warm up: compiles the schemas, lets the JIT settle
  emitted = 0;
  const start = performance.now();
  await run();
  const ms = performance.now() - start;
  return { kind, microsPerEntity: (ms * 1000) / n, emitted: emitted / n };
}
