/**
 * The `datamesh` command-line tool of the data mesh suite, for CI: `datamesh check` checks a data
 * product repository against the governance policies; `datamesh breaking` names the consumers a
 * change of its data contracts would break.
 *
 * @packageDocumentation
 */
import { run } from './run';

run(process.argv.slice(2), {
  stdout: line => process.stdout.write(`${line}\n`),
  stderr: line => process.stderr.write(`${line}\n`),
  env: process.env,
}).then(
  code => {
    process.exitCode = code;
  },
  error => {
    process.stderr.write(`datamesh: ${error?.stack ?? error}\n`);
    process.exitCode = 2;
  },
);
