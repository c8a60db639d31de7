import type { Entity } from '@backstage/catalog-model';
import type {
  DataProductType,
  PolicyEnforcement,
  SensitivityLevel,
} from '../types';

/**
 * Which data products a policy applies to. Every field given must match (and within a field, any
 * of its values); a policy without a scope applies to every product.
 * @public
 */
export type GovernancePolicyScope = {
  /**
   * Domains, as entity references (`marketing` or `domain:default/marketing`); a product matches
   * when its domain, or a domain its domain is a subdomain of, is one of them.
   */
  domains?: string[];
  /** Product types. */
  types?: DataProductType[];
  /** Sensitivity levels; a product without `spec.sensitivity` matches none. */
  sensitivities?: SensitivityLevel[];
  /** Lifecycle stages, for example `production`. */
  lifecycles?: string[];
  /** Tags of `metadata.tags`; a product matches when it has any of them. */
  tags?: string[];
};

/**
 * A governance policy: a rule in Common Expression Language (CEL) over a product's facts
 * ({@link PolicyFacts}), with how binding it is and which products it applies to.
 * @public
 */
export type GovernancePolicy = {
  /** Unique id, lowercase words separated by hyphens, for example `encryption-at-rest`. */
  id: string;
  /** Short name shown in lists; the id when absent. */
  title?: string;
  /** What the policy asks for, in a sentence. */
  description: string;
  /** How binding the policy is. */
  enforcement: PolicyEnforcement;
  /** Which products the policy applies to; every product when absent. */
  scope?: GovernancePolicyScope;
  /**
   * The CEL expression, true when the product complies. Its variables are `product`, `contracts`,
   * `infrastructure`, `quality`, `health`, `lineage`, `environment` and `params`.
   */
  rule: string;
  /**
   * Why a product fails, with CEL expressions between double braces filled in from the same
   * variables, for example `retention of {{product.spec.retentionDays}} days`. The description
   * is used when absent.
   */
  message?: string;
  /** Values the rule and the message read as `params`, so that a config can tune them. */
  parameters?: Record<string, unknown>;
  /** False switches the policy off; true by default. */
  enabled?: boolean;
};

/**
 * Where an effective policy comes from: the suite's defaults, the portal's config
 * (`datamesh.governance.policies`), or a Domain entity's `spec.datamesh.policies`.
 * @public
 */
export type PolicySource =
  | { type: 'default' }
  | { type: 'config' }
  | { type: 'domain'; domain: string };

/**
 * A policy as it applies, with where it comes from.
 * @public
 */
export type EffectivePolicy = GovernancePolicy & { source: PolicySource };

/**
 * What the suite observed of a product's lineage (OpenLineage events about its output ports).
 * @public
 */
export type LineageFacts = {
  /** Whether any lineage of the product was ever observed. */
  observed: boolean;
  /** When it was last observed (ISO 8601), if ever. */
  lastSeenAt?: string;
  /** Days since it was last observed (fractional), if ever. */
  ageDays?: number;
  /** How many datasets or products feed the product, as observed. */
  upstream: number;
  /** How many datasets or products read from the product, as observed. */
  downstream: number;
};

/**
 * The product's quality as the suite knows it.
 * @public
 */
export type QualityFacts = {
  /** Whether quality results were ever received for the product. */
  evaluated: boolean;
  /** How many checks are known. */
  checks?: number;
  /** How many of them failed in their latest run. */
  failing?: number;
  /** When the latest result was received (ISO 8601). */
  lastRunAt?: string;
};

/**
 * The product's health as the suite evaluates it from its SLOs.
 * @public
 */
export type HealthFacts = {
  /** `healthy`, `degraded`, `breaching` or `unknown`. */
  state: string;
  /** Why, one sentence per SLO not met. */
  reasons?: string[];
};

/**
 * Where the evaluation runs, for rules such as "PII is masked outside production".
 * @public
 */
export type EnvironmentFacts = {
  /** The environment's name, for example `production`, `staging` or `ci`. */
  name: string;
  /** Whether it is a production environment. */
  production: boolean;
};

/**
 * Everything a policy's rule can read about one product.
 * @public
 */
export type PolicyFacts = {
  /** The DataProduct entity, as the catalog holds it or as written in `catalog-info.yaml`. */
  product: Entity;
  /**
   * The domains of the product, as entity references: its own first, then the domains it is a
   * subdomain of; only its own when the domain tree is not known (offline).
   */
  domains?: string[];
  /** Its output ports' data contracts (ODCS documents as parsed). */
  contracts?: unknown[];
  /** Its infrastructure descriptor (`DataProductInfrastructure`), when it has one. */
  infrastructure?: Record<string, unknown>;
  /** Its quality. */
  quality?: QualityFacts;
  /** Its health. */
  health?: HealthFacts;
  /** Its observed lineage. */
  lineage?: LineageFacts;
  /** Where the evaluation runs; production when absent. */
  environment?: EnvironmentFacts;
  /**
   * Facts the caller cannot know, for example `lineage`, `quality` and `health` in a CI pipeline
   * that sees only the product's repository: a policy whose rule reads one of them does not
   * apply there (the portal evaluates it), rather than failing for want of the fact.
   */
  unavailable?: Array<'lineage' | 'quality' | 'health' | 'infrastructure'>;
};

/**
 * The outcome of one policy for one product.
 * @public
 */
export const POLICY_STATUSES = ['pass', 'fail', 'not-applicable'] as const;

/** @public */
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

/**
 * One policy evaluated for one product.
 * @public
 */
export type PolicyEvaluation = {
  policyId: string;
  title: string;
  enforcement: PolicyEnforcement;
  status: PolicyStatus;
  /**
   * Why: the policy's message with its values filled in when it fails, its description when it
   * passes, which part of the scope does not match when it does not apply.
   */
  reason: string;
  source: PolicySource;
};

/**
 * The values of {@link DATA_PRODUCT_COMPLIANCE_LABEL}: `compliant` when every required policy
 * that applies passes, `non-compliant` when one fails.
 * @public
 */
export const COMPLIANCE_LABEL_VALUES = ['compliant', 'non-compliant'] as const;

/** @public */
export type ComplianceLabelValue = (typeof COMPLIANCE_LABEL_VALUES)[number];

/**
 * The catalog label the catalog module sets on each DataProduct from its latest compliance
 * evaluation: one of {@link COMPLIANCE_LABEL_VALUES}; absent while the product has not been
 * evaluated. The catalog filters on it like on any label
 * (`metadata.labels.datamesh.io/compliance=non-compliant`).
 * @public
 */
export const DATA_PRODUCT_COMPLIANCE_LABEL = 'datamesh.io/compliance';

/**
 * The catalog annotation that lists, comma-separated, the ids of the required policies a
 * DataProduct fails; absent when it fails none. Set with {@link DATA_PRODUCT_COMPLIANCE_LABEL}.
 * @public
 */
export const DATA_PRODUCT_POLICY_FAILURES_ANNOTATION =
  'datamesh.io/required-policy-failures';

/**
 * A product's compliance: each policy's evaluation, and whether every required policy that
 * applies passes.
 * @public
 */
export type ProductCompliance = {
  entityRef: string;
  /** False when a required policy that applies fails. */
  compliant: boolean;
  /** When it was evaluated (ISO 8601). */
  evaluatedAt: string;
  counts: Record<PolicyStatus, number>;
  /** Required policies that fail. */
  requiredFailures: number;
  evaluations: PolicyEvaluation[];
};

/**
 * A policy that cannot be used, naming it.
 * @public
 */
export type PolicyProblem = {
  /** The policy's id, or `(policy N)` when it has none. */
  policyId: string;
  /** Where it was declared. */
  source?: PolicySource;
  /** What is wrong, starting with the policy id. */
  message: string;
};

/**
 * One change of a product's compliance, as the compliance route lists them.
 * @public
 */
export type ComplianceHistoryEntry = {
  /** When this outcome was first evaluated (ISO 8601). */
  evaluatedAt: string;
  /** When an evaluation last gave it (ISO 8601). */
  checkedAt: string;
  compliant: boolean;
  requiredFailures: number;
  counts: Record<PolicyStatus, number>;
};

/**
 * The answer of `GET /api/datamesh/v1/products/:namespace/:name/compliance`.
 * @public
 */
export type ProductComplianceResponse = ProductCompliance & {
  domain?: string;
  checkedAt: string;
  /** The latest changes of outcome, newest first. */
  history: ComplianceHistoryEntry[];
};

/**
 * One day of a compliance trend.
 * @public
 */
export type ComplianceTrendDay = {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  products: number;
  compliant: number;
  /** compliant / products; null without products. */
  ratio: number | null;
};

/**
 * The answer of `GET /api/datamesh/v1/governance/summary`.
 * @public
 */
export type GovernanceSummary = {
  domain?: string;
  days: number;
  products: number;
  compliant: number;
  trend: ComplianceTrendDay[];
  byDomain: Array<{
    domain: string;
    products: number;
    compliant: number;
    requiredFailures: number;
    trend: ComplianceTrendDay[];
  }>;
  byPolicy: Array<{
    policyId: string;
    title: string;
    enforcement: string;
    /** Products it applies to. */
    applicable: number;
    passing: number;
    failing: number;
    failingProducts: Array<{ entityRef: string; reason: string }>;
    trend: ComplianceTrendDay[];
  }>;
};

/**
 * The answer of `GET /api/datamesh/v1/governance/policies`.
 * @public
 */
export type EffectivePoliciesResponse = {
  domain?: string;
  /** The domain and the domains above it, nearest first; empty without a domain. */
  domains: string[];
  policies: EffectivePolicy[];
  problems: PolicyProblem[];
};

/**
 * A product whose compliance changed, as the change feed `GET /v1/governance/changes` answers
 * it: its current compliance in short, at a position of the feed.
 * @public
 */
export type GovernanceChange = {
  /** The position of the feed (growing); the feed answers the changes after a position. */
  id: number;
  /** The DataProduct's entity ref. */
  entityRef: string;
  /** False when a required policy that applies fails. */
  compliant: boolean;
  /** The ids of the required policies that apply and fail, in evaluation order. */
  requiredPolicyFailures: string[];
  /** When this outcome was first evaluated (ISO 8601). */
  evaluatedAt: string;
};

/**
 * A page of the governance change feed: the products whose latest compliance is after the
 * position asked for, oldest first, each once with its current compliance (the position 0
 * answers every product).
 * @public
 */
export type GovernanceChangesResponse = {
  items: GovernanceChange[];
};
