import type { ValidationProblem } from '../validation/schemaValidator';
import { compilePolicies } from './engine';
import type { GovernancePolicy } from './types';

/**
 * The problems of policies that are valid documents but cannot be used: an id given twice, a rule
 * or a message expression that does not parse or type-check. Each names its field below `path`,
 * such as `spec.datamesh.policies[1].rule`.
 *
 * @param policies - policies already valid against the policy schema
 * @param path - where the list is, for the messages
 * @public
 */
export function checkGovernancePolicies(
  policies: GovernancePolicy[],
  path: string,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const seen = new Map<string, number>();
  policies.forEach((policy, index) => {
    const at = `${path}[${index}]`;
    const first = seen.get(policy.id);
    if (first !== undefined) {
      problems.push({
        path: `${at}.id`,
        message: `${at}.id ${JSON.stringify(
          policy.id,
        )} is already the id of ${path}[${first}]`,
      });
      return;
    }
    seen.set(policy.id, index);
    for (const problem of compilePolicies([{ ...policy, enabled: true }])
      .problems) {
      const field = problem.message.includes('of its message')
        ? 'message'
        : 'rule';
      problems.push({
        path: `${at}.${field}`,
        message: `${at}.${field}: ${problem.message}`,
      });
    }
  });
  return problems;
}
