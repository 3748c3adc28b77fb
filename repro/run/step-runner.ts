import { asDropkitError, DropkitError } from '../../kit/errors.js';
import type { Progress } from '../../kit/progress.js';
import type { RunRecord } from './record.js';

export type Step = <T>(name: string, fn: () => Promise<T>, detail?: (v: T) => string) => Promise<T>;

// Runs one step of the run: times it, records it in the run's steps, shows it,
// and charges an error to the host it names. Nothing starts once the user has
// interrupted, and an error the interrupt caused is reported as the interrupt.
export function stepRunner(rec: RunRecord, signal: AbortSignal, progress: Progress): Step {
  return async (name, fn, detail) => {
    const t0 = performance.now();
    const startedAt = new Date().toISOString();
    try {
      if (signal.aborted)
        throw new DropkitError({ code: 'ABORTED', message: 'interrupted', step: name });
      const v = await fn();
      const ms = performance.now() - t0;
      rec.steps.push({ step: name, startedAt, ms, ok: true });
      progress.step(name, ms, true, detail?.(v));
      return v;
    } catch (e) {
      const err = asDropkitError(e, { code: 'COMMAND_FAILED', step: name });
      const ms = performance.now() - t0;
      rec.steps.push({ step: name, startedAt, ms, ok: false, error: err.oneLine });
      progress.step(name, ms, false, err.oneLine);
      for (const h of rec.hosts)
        if (err.host === h.spec) h.failure ??= { step: err.step ?? name, message: err.message };
      throw signal.aborted && err.code !== 'ABORTED'
        ? new DropkitError({
            code: 'ABORTED',
            message: `interrupted during ${name}`,
            step: name,
            cause: err,
          })
        : err;
    }
  };
}
