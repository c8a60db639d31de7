/**
 * One measurement in its own process, so that each run starts from a cold, empty catalog and
 * its memory is returned when it ends. Started by `main.ts` with `fork`; answers over IPC.
 */
import { measure, MeasureOptions } from './measure';

process.on('message', async (message: MeasureOptions) => {
  try {
    const result = await measure({
      ...message,
      onProgress: line => process.send?.({ type: 'progress', line }),
    });
    process.send?.({ type: 'result', result }, () => process.exit(0));
  } catch (error) {
    process.send?.(
      { type: 'error', error: String((error as Error)?.stack ?? error) },
      () => process.exit(1),
    );
  }
});
