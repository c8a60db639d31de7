import { run } from '../run';

/** Runs the command line in-process, collecting what it prints, as the tests read it. */
export async function cli(args: string[], env: Record<string, string> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await run(args, {
    stdout: line => stdout.push(line),
    stderr: line => stderr.push(line),
    env,
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}
