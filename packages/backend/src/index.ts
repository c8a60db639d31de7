import { createBackend } from '@backstage/backend-defaults';
import { localRepositoryUrlReaderFactory } from '@backstage-datamesh/plugin-scaffolder-backend-module-datamesh';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// auth: guest sign-in for local use
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog, with the data mesh model (DataProduct kind, data-mesh Domains)
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@backstage/plugin-catalog-backend-module-unprocessed'));
backend.add(
  import('@backstage-datamesh/plugin-catalog-backend-module-datamesh'),
);

// data mesh: data contracts for data product pages
backend.add(import('@backstage-datamesh/plugin-datamesh-backend'));
// local use: the example mesh's pipelines post their quality results (datamesh.examples.quality)
backend.add(import('./modules/exampleQuality'));
// local use: the example mesh's pipelines send their OpenLineage events (datamesh.examples.lineage)
backend.add(import('./modules/exampleLineage'));

// scaffolder (golden paths)
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// golden paths: validate, upstream contracts and the offline publisher (publish:datamesh:local),
// whose repositories the catalog reads through this file: URL reader
backend.add(
  import('@backstage-datamesh/plugin-scaffolder-backend-module-datamesh'),
);
backend.add(localRepositoryUrlReaderFactory);

// permission framework
backend.add(import('@backstage/plugin-permission-backend'));
// owners write their products' quality results and incidents; everything else is allowed
backend.add(import('./modules/permissionPolicy'));

// search: Postgres engine when on PostgreSQL, in-memory Lunr otherwise
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// events: carries catalog, notification and signal events between backend replicas
backend.add(import('@backstage/plugin-events-backend'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.start();
