import type {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  INCIDENT_STATES,
  QUALITY_CHECK_STATUSES,
  type DataProductEntityV1alpha1,
} from '@backstage-datamesh/plugin-datamesh-common';
import type {
  HealthStore,
  QualityStore,
} from '@backstage-datamesh/plugin-datamesh-node';
import type { QualityService } from '../quality/QualityService';
import { auditRead } from '../service/audit';
import {
  checkResult,
  failingCheck,
  healthState,
  incident,
  productRefInput,
  sloEvaluation,
} from './schemas';

/**
 * What the data mesh actions read through.
 * @internal
 */
export interface DataMeshActionsOptions {
  actionsRegistry: ActionsRegistryService;
  quality: QualityStore;
  health: HealthStore;
  service: QualityService;
  /** Records the reads of restricted products. */
  auditor: AuditorService;
}

/** The states of an incident that is not over. */
const OPEN_INCIDENT_STATES = INCIDENT_STATES.filter(s => s !== 'resolved');

/**
 * Reads the DataProduct an action's input names, with the caller's credentials: an InputError
 * for a reference that names no data product, a NotFoundError for one the caller may not see.
 */
export async function readProduct(
  service: QualityService,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<DataProductEntityV1alpha1> {
  let ref;
  try {
    ref = parseEntityRef(entityRef, {
      defaultKind: 'DataProduct',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(
      `entityRef must be a data product reference such as dataproduct:default/customer-360, not ${JSON.stringify(
        entityRef,
      )}`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'dataproduct') {
    throw new InputError(
      `entityRef must name a DataProduct, not a ${ref.kind} (${JSON.stringify(
        entityRef,
      )})`,
    );
  }
  return service.getProduct(ref, credentials);
}

/**
 * Reads the DataProduct an action's input names (as {@link readProduct}) and then its data with
 * `read`, recorded as a `restricted-product-read` audit event (`queryType`
 * `action:<the action's name>`, `meta.actor` the caller) when the product is restricted.
 */
export async function readProductData<T>(
  options: {
    service: QualityService;
    auditor: AuditorService;
    action: string;
    entityRef: string;
    credentials: BackstageCredentials;
  },
  read: (entity: DataProductEntityV1alpha1) => Promise<T>,
): Promise<T> {
  const entity = await readProduct(
    options.service,
    options.entityRef,
    options.credentials,
  );
  return auditRead(
    options.auditor,
    {
      credentials: options.credentials,
      entity,
      queryType: `action:${options.action}`,
    },
    () => read(entity),
  );
}

/** Registers `get-data-product-health`, `get-data-product-checks` and `get-data-product-incidents`. */
export function registerProductActions(options: DataMeshActionsOptions) {
  const { actionsRegistry, quality, health, service, auditor } = options;
  const readData = <T>(
    action: string,
    entityRef: string,
    credentials: BackstageCredentials,
    read: (entity: DataProductEntityV1alpha1) => Promise<T>,
  ) =>
    readProductData({ service, auditor, action, entityRef, credentials }, read);

  actionsRegistry.register({
    name: 'get-data-product-health',
    title: 'Get data product health',
    description: `The current health of one data product (a DataProduct entity of the catalog): healthy, degraded, breaching or unknown, with why.
Health is computed from the product's service level objectives (its spec.sla, or its domain's baseline: freshness, availability, completeness, accuracy) and its latest quality checks.
The answer gives the reasons worst first, since when the product has had this health, every objective as measured, the checks that warn, fail or error, and the open incident if the product is breaching.
A product that has not been evaluated yet is unknown.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({ entityRef: productRefInput(z) }),
      output: z =>
        z.object({
          entityRef: z.string(),
          title: z.string(),
          health: healthState(z),
          reasons: z.array(z.string()).describe('Worst first'),
          since: z
            .string()
            .optional()
            .describe('Since when it has had this health (ISO 8601)'),
          evaluatedAt: z.string().optional(),
          slos: z.array(sloEvaluation(z)),
          failingChecks: z.array(failingCheck(z)),
          openIncident: z
            .object({
              id: z.string(),
              state: z.enum(INCIDENT_STATES),
              severity: z.string(),
              title: z.string(),
              openedAt: z.string(),
            })
            .optional(),
        }),
    },
    action: async ({ input, credentials }) =>
      readData(
        'get-data-product-health',
        input.entityRef,
        credentials,
        async entity => {
          const entityRef = stringifyEntityRef(entity);
          const [current, [open]] = await Promise.all([
            service.getHealth(entityRef),
            health.listIncidents({
              entityRefs: [entityRef],
              states: OPEN_INCIDENT_STATES,
              limit: 1,
            }),
          ]);
          return {
            output: {
              entityRef,
              title: entity.metadata.title ?? entity.metadata.name,
              health: current.health,
              reasons: current.reasons,
              since: current.since,
              evaluatedAt: current.evaluatedAt,
              slos: current.slos,
              failingChecks: current.failingChecks,
              openIncident: open && {
                id: open.id,
                state: open.state,
                severity: open.severity,
                title: open.title,
                openedAt: open.openedAt,
              },
            },
          };
        },
      ),
  });

  actionsRegistry.register({
    name: 'get-data-product-checks',
    title: 'Get data product quality checks',
    description: `The latest result of each quality check of one data product, as reported by its pipelines (dbt tests, Great Expectations expectations, Soda checks, or the suite's own format).
Each check has its status (pass, warn, fail, error, skipped), the output port and column it tested, the observed value against its threshold, how many rows failed, the tool's message, and when it ran.
Filter by status to see only what fails, for example statuses: ["fail", "error", "warn"].`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: productRefInput(z),
          statuses: z
            .array(z.enum(QUALITY_CHECK_STATUSES))
            .optional()
            .describe(
              'Only checks whose latest result has one of these statuses',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          checks: z.array(checkResult(z)),
        }),
    },
    action: async ({ input, credentials }) =>
      readData(
        'get-data-product-checks',
        input.entityRef,
        credentials,
        async entity => {
          const entityRef = stringifyEntityRef(entity);
          const checks = await quality.getLatestChecks(entityRef);
          const statuses = input.statuses;
          return {
            output: {
              entityRef,
              checks: statuses
                ? checks.filter(c => statuses.includes(c.status))
                : checks,
            },
          };
        },
      ),
  });

  actionsRegistry.register({
    name: 'get-data-product-incidents',
    title: 'Get data product incidents',
    description: `The incidents of one data product, newest first. An incident opens when the product moves into breaching (state new), on-call can acknowledge it, and it is resolved by hand or by the product's recovery.
Each incident has its severity, the objectives and checks behind it when it opened, and its timeline.
Filter by state to see only open incidents: states: ["new", "acknowledged"].`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: productRefInput(z),
          states: z
            .array(z.enum(INCIDENT_STATES))
            .optional()
            .describe('Only incidents in one of these states'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(100)
            .optional()
            .describe('At most this many incidents (default 20)'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          incidents: z.array(incident(z)),
        }),
    },
    action: async ({ input, credentials }) =>
      readData(
        'get-data-product-incidents',
        input.entityRef,
        credentials,
        async entity => {
          const entityRef = stringifyEntityRef(entity);
          return {
            output: {
              entityRef,
              incidents: await health.listIncidents({
                entityRefs: [entityRef],
                states: input.states,
                limit: input.limit ?? 20,
              }),
            },
          };
        },
      ),
  });
}
