import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATES,
  PRODUCT_HEALTH_STATES,
  QUALITY_CHECK_STATUSES,
  QUALITY_DIMENSIONS,
  SLO_KINDS,
  SLO_STATUSES,
} from '@backstage-datamesh/plugin-datamesh-common';

/** The zod the actions registry hands to schema functions. */
export type Zod = Parameters<
  Parameters<ActionsRegistryService['register']>[0]['schema']['input']
>[0];

/** The input naming one data product. */
export const productRefInput = (z: Zod) =>
  z
    .string()
    .min(1)
    .describe(
      'The data product: its entity reference such as dataproduct:default/customer-360, or its name in the default namespace',
    );

/** The health states, for inputs and outputs. */
export const healthState = (z: Zod) => z.enum(PRODUCT_HEALTH_STATES);

/** A check that keeps a product from being healthy. */
export const failingCheck = (z: Zod) =>
  z.object({
    checkId: z.string(),
    name: z.string(),
    status: z.string().describe('warn, fail or error'),
    port: z.string().optional().describe('The output port it belongs to'),
  });

/** One service level objective, measured. */
export const sloEvaluation = (z: Zod) =>
  z.object({
    slo: z.enum(SLO_KINDS),
    objective: z
      .string()
      .optional()
      .describe('The objective as written, such as 15m or 99.5%'),
    objectiveSource: z
      .enum(['product', 'domain'])
      .optional()
      .describe("The product's own objective, or its domain's baseline"),
    measured: z
      .number()
      .optional()
      .describe(
        'Milliseconds of lag for freshness, a ratio from 0 to 1 otherwise',
      ),
    status: z.enum(SLO_STATUSES),
    reason: z.string(),
  });

/** The latest result of one check. */
export const checkResult = (z: Zod) =>
  z.object({
    checkId: z.string(),
    name: z.string(),
    status: z.enum(QUALITY_CHECK_STATUSES),
    port: z.string().optional(),
    column: z.string().optional(),
    checkType: z.string().optional(),
    dimension: z.enum(QUALITY_DIMENSIONS).optional(),
    observedValue: z.union([z.number(), z.string()]).optional(),
    threshold: z.string().optional(),
    unexpectedCount: z.number().optional(),
    unexpectedPercent: z.number().optional(),
    rowsEvaluated: z.number().optional(),
    message: z.string().optional(),
    executedAt: z.string().describe('When it ran (ISO 8601)'),
    tool: z.object({ name: z.string(), version: z.string().optional() }),
    runId: z.number().describe('The quality run it was reported in'),
  });

/** An incident, with its timeline. */
export const incident = (z: Zod) =>
  z.object({
    id: z.string(),
    entityRef: z.string(),
    state: z.enum(INCIDENT_STATES),
    severity: z.enum(INCIDENT_SEVERITIES),
    title: z.string(),
    reasons: z.array(z.string()),
    openedAt: z.string(),
    acknowledgedAt: z.string().optional(),
    acknowledgedBy: z.string().optional(),
    resolvedAt: z.string().optional(),
    resolvedBy: z.string().optional(),
    events: z.array(
      z.object({
        at: z.string(),
        type: z
          .string()
          .describe('opened, acknowledged, resolved, recovered or updated'),
        actor: z.string().optional(),
        reasons: z.array(z.string()).optional(),
      }),
    ),
  });
