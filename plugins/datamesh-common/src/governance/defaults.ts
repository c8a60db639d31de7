import type { GovernancePolicy } from './types';

/**
 * A contract column holds PII when its classification is one of `params.piiClassifications` or
 * it is tagged `pii`; it is masked when it is tagged `masked` or has a custom property `masking`
 * whose value is not `none`.
 */
const PII_COLUMN =
  '(p.?classification.orValue("") in params.piiClassifications || "pii" in p.?tags.orValue([]))';
const MASKED_COLUMN =
  '("masked" in p.?tags.orValue([]) || p.?customProperties.orValue([]).exists(c, c.?property.orValue("") == "masking" && string(c.?value.orValue("none")) != "none"))';
const UNMASKED_PII = `contracts.map(c, c.?schema.orValue([]).map(o, o.?properties.orValue([]).filter(p, ${PII_COLUMN} && !${MASKED_COLUMN}).map(p, c.?id.orValue("contract") + "." + o.?name.orValue("object") + "." + p.?name.orValue("column"))))`;

/**
 * The data mesh guide's global policies (`GLOBAL_POLICIES`), as the portal applies them unless
 * its config (`datamesh.governance.policies`) switches one off or changes it by id.
 * @public
 */
export const DEFAULT_GOVERNANCE_POLICIES: readonly GovernancePolicy[] = [
  {
    id: 'encryption-at-rest',
    title: 'Encryption at rest',
    description: 'All data must be encrypted at rest.',
    enforcement: 'required',
    rule: 'infrastructure.?spec.?security.?encryption_at_rest.orValue(false) == true || infrastructure.?spec.?storage.?encryption.orValue("none").lowerAscii() != "none"',
    message:
      '{{product.metadata.name}} does not declare encryption at rest: {{has(infrastructure.spec) ? "its infrastructure descriptor" : "it has no infrastructure descriptor (spec.infrastructure), which"}} must set spec.security.encryption_at_rest: true or spec.storage.encryption (for example AES-256).',
  },
  {
    id: 'pii-masking',
    title: 'PII masking outside production',
    description:
      'PII must be masked in non-production environments: every contract column classified as PII is masked.',
    enforcement: 'required',
    parameters: { piiClassifications: ['pii'] },
    rule: `environment.production || ${UNMASKED_PII}.all(c, c.all(o, size(o) == 0))`,
    message:
      'PII columns are not masked in the {{environment.name}} environment: {{' +
      `${UNMASKED_PII}.filter(c, size(c) > 0).map(c, c.filter(o, size(o) > 0).map(o, o.join(", ")).join(", ")).join(", ")` +
      '}} (tag them masked or give them the custom property masking).',
  },
  {
    id: 'data-lineage',
    title: 'Lineage tracked',
    description: `All data products must track lineage: the portal observed the product's lineage (OpenLineage) recently.`,
    enforcement: 'required',
    parameters: { maxAgeDays: 7 },
    rule: 'lineage.observed && lineage.ageDays <= double(params.maxAgeDays)',
    message:
      '{{lineage.observed ? "the lineage of " + product.metadata.name + " was last observed " + string(int(lineage.ageDays)) + " days ago, more than " + string(params.maxAgeDays) : "no lineage of " + product.metadata.name + " has been observed; its pipeline must send OpenLineage events to the portal"}}.',
  },
  {
    id: 'quality-slo',
    title: 'Quality SLOs defined',
    description: 'Each data product must define quality SLOs.',
    enforcement: 'required',
    rule: 'has(product.spec.sla) && ["freshness", "availability", "accuracy", "completeness"].exists(k, k in product.spec.sla)',
    message:
      '{{product.metadata.name}} defines no quality SLO: spec.sla needs at least one of freshness, availability, accuracy, completeness.',
  },
  {
    id: 'retention-policy',
    title: 'Retention policy',
    description:
      'Data must follow retention policies: the product says how long its data is kept, within the longest retention allowed.',
    enforcement: 'required',
    parameters: { maxRetentionDays: 3650 },
    rule: 'has(product.spec.retentionDays) && product.spec.retentionDays > 0 && product.spec.retentionDays <= double(params.maxRetentionDays)',
    message:
      '{{!has(product.spec.retentionDays) ? product.metadata.name + " has no retention policy (spec.retentionDays)" : product.spec.retentionDays <= 0.0 ? product.metadata.name + " keeps its data " + string(product.spec.retentionDays) + " days; a retention must be at least one day" : product.metadata.name + " keeps its data " + string(product.spec.retentionDays) + " days, more than the " + string(params.maxRetentionDays) + " allowed"}}.',
  },
  {
    id: 'audit-logging',
    title: 'Audit logging',
    description: 'All data access must be audit logged.',
    enforcement: 'required',
    rule: 'infrastructure.?spec.?security.?audit_logging.orValue(false) == true',
    message:
      '{{product.metadata.name}} does not declare audit logging: {{has(infrastructure.spec) ? "its infrastructure descriptor" : "it has no infrastructure descriptor (spec.infrastructure), which"}} must set spec.security.audit_logging: true.',
  },
];
