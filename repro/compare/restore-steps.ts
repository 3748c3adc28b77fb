import { asDropkitError, DropkitError } from '../../kit/errors.js';
import type { Run } from '../run/run.js';
import { stepTimer } from '../run/step-runner.js';
import type { Mitigator } from './mitigator.js';
import type { HostRestore } from './record.js';

// The restore steps run whatever happened before, an interrupt included
// (the step runner refuses to start anything once interrupted): recorded
// and shown like any step, they never throw.

async function alwaysStep<T>(
  run: Run,
  name: string,
  fn: () => Promise<T>,
  detail: (v: T) => string,
): Promise<T | undefined> {
  const done = stepTimer(run.rec, run.o.progress, name);
  try {
    const v = await fn();
    done(true, detail(v));
    return v;
  } catch (e) {
    const err = asDropkitError(e, { code: 'RESTORE_FAILED', step: name });
    done(false, err.oneLine);
    run.rec.error ??= err;
    return undefined;
  }
}

// After a variant's run: the originals back on every host, verified. A
// failure becomes the run's error, which ends the comparison.
export async function restoreStep(run: Run, m: Mitigator): Promise<void> {
  await alwaysStep(
    run,
    'restore',
    () => m.restore(),
    () => 'every changed setting read back as it was',
  );
}

// At the end: restore where reachable, then remove the scripts and records of
// hosts verified restored. A host pending or failed is an error that names
// the command that finishes the job.
export async function finalRestore(run: Run, m: Mitigator): Promise<HostRestore[]> {
  let result: HostRestore[] = [];
  await alwaysStep(
    run,
    'final restore',
    async () => {
      result = await m.finish();
      const bad = result.filter((h) => h.status === 'pending' || h.status === 'failed');
      if (bad.length)
        throw new DropkitError({
          code: 'RESTORE_FAILED',
          message: bad.map((h) => `${h.host} ${h.status}: ${h.detail ?? ''}`).join('; '),
          step: 'final restore',
          hint: `run \`repro restore --pair ${run.rec.hosts.map((h) => h.spec).join(' ')}\` to restore and verify`,
        });
      return result;
    },
    (r) => r.map((h) => `${h.host} ${h.status}`).join(', '),
  );
  return result;
}
