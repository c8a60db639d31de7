import fs from 'node:fs/promises';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DomainPolicies,
  evaluateProductGovernance,
  GovernancePolicy,
  isDataProductEntity,
} from '@backstage-datamesh/plugin-datamesh-common';
import { parse } from 'yaml';
import type { GeneratedProductCheck } from './checks';

/** The Domain an entity reference names, lower-cased as the catalog compares them. */
function domainRef(value: unknown, namespace: string): string | undefined {
  if (typeof value !== 'string' || !value) {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'domain',
        defaultNamespace: namespace,
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/**
 * The governance check of `datamesh:dataproduct:validate`: the policies that apply to the new
 * product (the portal's global ones, `datamesh.governance.policies`, and those of its domain and
 * the domains above it, read from the catalog with the user's credentials) evaluated with the
 * suite's `evaluateProductGovernance` on what the workspace holds: the entity, its contracts and
 * its infrastructure descriptor. A product has no lineage, quality or health before its first
 * run, so policies on those do not apply at creation (the portal evaluates them afterwards). Each
 * required policy that fails is a problem, with its reason.
 * @public
 */
export function createGovernanceCheck(options: {
  config: Config;
  catalog: CatalogService;
}): GeneratedProductCheck {
  const { config, catalog } = options;
  return {
    id: 'governance',
    async check(generated, { credentials, workspacePath }) {
      const { entity } = generated;
      if (!isDataProductEntity(entity)) {
        return [];
      }
      const namespace = entity.metadata.namespace ?? 'default';
      const domains: DomainPolicies[] = [];
      const seen = new Set<string>();
      let ref = domainRef(entity.spec.domain, namespace);
      while (ref && !seen.has(ref)) {
        seen.add(ref);
        const domain: Entity | undefined = await catalog.getEntityByRef(ref, {
          credentials,
        });
        const spec = (domain?.spec ?? {}) as {
          subdomainOf?: unknown;
          datamesh?: { policies?: unknown };
        };
        const policies = spec.datamesh?.policies;
        domains.push({
          domain: ref,
          policies: Array.isArray(policies)
            ? (policies as GovernancePolicy[])
            : [],
        });
        ref = domain
          ? domainRef(spec.subdomainOf, domain.metadata.namespace ?? 'default')
          : undefined;
      }
      const contracts: unknown[] = [];
      for (const contract of generated.contracts) {
        if (contract.result.status === 'valid') {
          const file = resolveSafeChildPath(workspacePath, contract.file);
          contracts.push(parse(await fs.readFile(file, 'utf8')));
        }
      }
      const infrastructure =
        generated.infrastructure?.result.status === 'valid'
          ? (generated.infrastructure.result
              .infrastructure as unknown as Record<string, unknown>)
          : undefined;
      const result = evaluateProductGovernance({
        facts: {
          product: entity,
          domains: domains.map(d => d.domain),
          contracts,
          infrastructure,
          unavailable: ['lineage', 'quality', 'health'],
        },
        overrides: config.getOptional('datamesh.governance.policies'),
        domains,
      });
      // a policy that cannot be used is the portal's to report (at its start); it refuses nothing
      return result.requiredFailures.map(failure => ({
        file: generated.file,
        path: '(governance)',
        message: `(governance) fails the required policy ${failure.policyId} (${failure.title}): ${failure.reason}`,
      }));
    },
  };
}
