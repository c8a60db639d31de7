import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleDataMesh from '@backstage-datamesh/plugin-catalog-backend-module-datamesh';
import path from 'node:path';
import { datameshPlugin } from '../plugin';
import { waitForEntity } from './waitForEntity';

/** The test mesh: a team, its domain and the data product customer-360 with its ports. */
export const MESH_FILE = path.resolve(
  __dirname,
  '../__fixtures__/mesh/catalog-info.yaml',
);

/**
 * Starts a backend with this plugin, the catalog and the data mesh module on the test mesh
 * ({@link MESH_FILE}), and waits until the catalog serves customer-360.
 */
export async function startMeshBackend() {
  const backend = await startTestBackend({
    features: [
      datameshPlugin,
      catalogPlugin,
      catalogModuleDataMesh,
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [{ allow: ['Group', 'Domain', 'DataProduct'] }],
            locations: [{ type: 'file', target: MESH_FILE }],
          },
        },
      }),
    ],
  });
  await waitForEntity(
    backend.server,
    'dataproduct/default/customer-360',
    mockCredentials.user.header(),
  );
  return backend;
}
