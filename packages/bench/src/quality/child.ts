/**
 * One measurement of `yarn bench:quality` in its own process, so that each starts with a fresh
 * heap and fresh databases and returns its memory when it ends. Started by `main.ts` with
 * `fork`; answers over IPC.
 */
import { IngestOptions, measureIngestion } from './ingest';
import { measureReads, ReadsOptions } from './reads';

/** What `main.ts` asks a child for. */
export type ChildJob =
  | { type: 'ingest'; options: Omit<IngestOptions, 'onProgress'> }
  | { type: 'reads'; options: Omit<ReadsOptions, 'onProgress'> };

process.on('message', async (job: ChildJob) => {
  const onProgress = (line: string) =>
    process.send?.({ type: 'progress', line });
  try {
    const result =
      job.type === 'ingest'
        ? await measureIngestion({ ...job.options, onProgress })
        : await measureReads({ ...job.options, onProgress });
    process.send?.({ type: 'result', result }, () => process.exit(0));
  } catch (error) {
    process.send?.(
      { type: 'error', error: String((error as Error)?.stack ?? error) },
      () => process.exit(1),
    );
  }
});
