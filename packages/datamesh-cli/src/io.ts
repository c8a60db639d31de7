/** Every required policy that applies passes; no required consumer breaks. */
export const EXIT_PASS = 0;
/** A required policy that applies fails; a change breaks a required consumer. */
export const EXIT_REQUIRED_FAILED = 1;
/** The command was used wrongly, or its input cannot be read. */
export const EXIT_USAGE = 2;

/** Where the command writes, reads and runs. */
export type CliIo = {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
};

/**
 * A GitHub Actions workflow command (`::error file=...,title=...::message`), when the command
 * runs there (`GITHUB_ACTIONS=true`): the message escaped as the runner reads it.
 */
export function annotate(
  io: CliIo,
  level: 'error' | 'warning',
  properties: { file: string; title: string },
  message: string,
) {
  if (io.env.GITHUB_ACTIONS !== 'true') {
    return;
  }
  const escapeData = (s: string) =>
    s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const escapeProperty = (s: string) =>
    escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  io.stdout(
    `::${level} file=${escapeProperty(properties.file)},title=${escapeProperty(
      properties.title,
    )}::${escapeData(message)}`,
  );
}

/** A wrong use of the command: its message says what to give instead. */
export class UsageError extends Error {}

/**
 * The options both commands share, checked: the one entity file (`catalog-info.yaml` by
 * default), the output format, and the portal's URL and token (options first, then
 * `DATAMESH_PORTAL_URL` and `DATAMESH_TOKEN`).
 *
 * @throws UsageError naming the option that is wrong
 */
export function sharedOptions(
  values: { format?: string; 'portal-url'?: string; token?: string },
  positionals: string[],
  env: CliIo['env'],
): {
  file: string;
  format: 'text' | 'json';
  portalUrl?: string;
  token?: string;
} {
  if (positionals.length > 1) {
    throw new UsageError(
      `one entity file at a time, not ${positionals.join(' ')}`,
    );
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--format must be text or json, not ${format}`);
  }
  const portalUrl = values['portal-url'] ?? env.DATAMESH_PORTAL_URL;
  if (portalUrl && !/^https?:\/\//.test(portalUrl)) {
    throw new UsageError(
      `--portal-url must be an http(s) URL such as https://backstage.example.com, not ${portalUrl}`,
    );
  }
  return {
    file: positionals[0] ?? 'catalog-info.yaml',
    format,
    portalUrl,
    token: values.token ?? env.DATAMESH_TOKEN,
  };
}
