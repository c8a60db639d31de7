/**
 * One measurement of `yarn bench:governance` in its own process: a fresh heap and fresh databases,
 * its memory returned when it ends. Started by `main.ts` with `fork`; answers over IPC.
 */
import { GovernanceMeasureOptions, measureGovernance } from './measure';

process.on(
  'message',
  async (options: Omit<GovernanceMeasureOptions, 'onProgress'>) => {
    const onProgress = (line: string) =>
      process.send?.({ type: 'progress', line });
    try {
      const result = await measureGovernance({ ...options, onProgress });
      process.send?.({ type: 'result', result }, () => process.exit(0));
    } catch (error) {
      process.send?.(
        { type: 'error', error: String((error as Error)?.stack ?? error) },
        () => process.exit(1),
      );
    }
  },
);
