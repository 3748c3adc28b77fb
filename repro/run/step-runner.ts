import { asDropkitError, DropkitError } from '../../kit/errors.js';
import type { Progress } from '../../kit/progress.js';
import type { RunRecord } from './record.js';

export type Step = <T>(name: string, fn: () => Promise<T>, detail?: (v: T) => string) => Promise<T>;

// Runs one step of the run: times it, records it in the run's steps, shows it,
// and charges an error to the host it names. Nothing starts once the user has
// interrupted, and an error the interrupt caused is reported as the interrupt.
export function stepRunner(rec: RunRecord, signal: AbortSignal, progress: Progress): Step {
  return async (name, fn, detail) => {
    const done = stepTimer(rec, progress, name);
    try {
      if (signal.aborted)
        throw new DropkitError({ code: 'ABORTED', message: 'interrupted', step: name });
      const v = await fn();
      done(true, detail?.(v));
      return v;
    } catch (e) {
      const err = asDropkitError(e, { code: 'COMMAND_FAILED', step: name });
      done(false, err.oneLine);
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

// Times a step from now; once it ends, records it in the run's steps (with
// the line as its error when it failed) and shows it. Every step goes through
// here, those that run whatever happened before (cleanup, restores) too.
export function stepTimer(
  rec: RunRecord,
  progress: Progress,
  name: string,
): (ok: boolean, line?: string) => void {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  return (ok, line) => {
    const ms = performance.now() - t0;
    rec.steps.push({ step: name, startedAt, ms, ok, ...(!ok && line ? { error: line } : {}) });
    progress.step(name, ms, ok, line);
  };
}
