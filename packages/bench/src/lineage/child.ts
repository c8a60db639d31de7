/**
 * One measurement of `yarn bench:lineage` in its own process: a fresh heap and fresh databases,
 * its memory returned when it ends. Started by `main.ts` with `fork`; answers over IPC.
 */
import { LineageMeasureOptions, measureLineage } from './measure';

process.on(
  'message',
  async (options: Omit<LineageMeasureOptions, 'onProgress'>) => {
    const onProgress = (line: string) =>
      process.send?.({ type: 'progress', line });
    try {
      const result = await measureLineage({ ...options, onProgress });
      process.send?.({ type: 'result', result }, () => process.exit(0));
    } catch (error) {
      process.send?.(
        { type: 'error', error: String((error as Error)?.stack ?? error) },
        () => process.exit(1),
      );
    }
  },
);
