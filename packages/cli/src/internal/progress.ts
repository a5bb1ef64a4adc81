import type { Options } from 'cli-progress';
import type { CliContext } from './context.js';

/** A progress bar that starts on its first update (with that update's total). */
export interface ProgressBar<TPayload extends object> {
  update(total: number, value: number, payload: TPayload): void;
  /** Clear the bar (nothing when it never started). */
  stop(): void;
}

/**
 * A cli-progress bar on stderr, loaded only when it shows: never with --json or --quiet, and on a TTY only unless
 * `options.noTTYOutput` (then written every `notTTYSchedule` ms, for logs). Every progress bar of the CLI is one.
 */
export async function progressBar<TPayload extends object>(
  ctx: CliContext,
  options: Options,
): Promise<ProgressBar<TPayload> | undefined> {
  if (ctx.flags.json || ctx.flags.quiet || !(ctx.io.stderr.isTTY || options.noTTYOutput)) return undefined;
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar({ stream: ctx.io.stderr as NodeJS.WritableStream, ...options }, Presets.shades_classic);
  let started = false;
  return {
    update(total, value, payload) {
      if (!started) bar.start(total, 0, payload);
      started = true;
      bar.update(value, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
