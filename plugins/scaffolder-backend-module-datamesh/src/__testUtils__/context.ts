import type { JsonObject } from '@backstage/types';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';

/**
 * `createMockActionContext` of `@backstage/plugin-scaffolder-node-test-utils` for this module's
 * actions. The registry's latest test utils (0.3.14) are typed against scaffolder-node 0.13; the
 * context they build is the same object the 1.0 actions receive, so it is only re-typed here.
 * They also leave `isDryRun` out of their options, so it is set on the context they return.
 */
export function mockContext<TInput extends JsonObject>(options: {
  input: TInput;
  workspacePath: string;
  isDryRun?: boolean;
}): ActionContext<TInput, any> {
  const context = createMockActionContext({
    input: options.input,
    workspacePath: options.workspacePath,
  }) as unknown as ActionContext<TInput, any>;
  return { ...context, isDryRun: options.isDryRun ?? false };
}
