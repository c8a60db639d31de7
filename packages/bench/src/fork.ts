/**
 * One measurement in a child process of its own: a fresh heap and fresh databases, its memory
 * returned when it ends. The child (a `child.ts` of a benchmark) answers over IPC with
 * `{ type: 'progress', line }` as often as it likes, then `{ type: 'result', result }` or
 * `{ type: 'error', error }`.
 */
import { fork } from 'node:child_process';

/** A message of a measurement's child process. */
type ChildMessage<T> =
  | { type: 'progress'; line: string }
  | { type: 'result'; result: T }
  | { type: 'error'; error: string };

/**
 * Forks `script` (from its sources: the child inherits this process's `tsx` loader), sends it
 * `message`, prints its progress lines, and resolves with its result. Rejects with the child's
 * error, when it exits without a result, or after `timeoutMs` (then the child is killed); each
 * message starts with `label`.
 */
export function runInChild<T>(
  script: string,
  message: unknown,
  options: { label: string; timeoutMs: number; maxOldSpaceMiB: number },
): Promise<T> {
  const { label, timeoutMs } = options;
  return new Promise((resolve, reject) => {
    const child = fork(script, [], {
      execArgv: [
        ...process.execArgv,
        `--max-old-space-size=${options.maxOldSpaceMiB}`,
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    let killer: NodeJS.Timeout | undefined = undefined;
    const settle = (fn: () => void) => {
      if (!settled) {
        settled = true;
        clearTimeout(killer);
        fn();
      }
    };
    killer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() =>
        reject(
          new Error(
            `${label}: no answer after ${Math.round(
              timeoutMs / 60_000,
            )} minutes`,
          ),
        ),
      );
    }, timeoutMs);
    child.on('message', (received: ChildMessage<T>) => {
      if (received.type === 'progress') {
        console.log(received.line);
      } else if (received.type === 'result') {
        settle(() => resolve(received.result));
      } else if (received.type === 'error') {
        settle(() => reject(new Error(`${label}: ${received.error}`)));
      }
    });
    child.on('exit', code =>
      settle(() =>
        reject(
          new Error(`${label}: measurement process exited with code ${code}`),
        ),
      ),
    );
    child.send(message as object);
  });
}
