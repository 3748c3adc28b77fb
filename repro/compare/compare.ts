import { asDropkitError } from '../../kit/errors.js';
import type { Plan } from '../mitigations/plan.js';
import type { Variant } from '../mitigations/types.js';
import { keepSessions, newLiveRun } from '../run/live-run.js';
import type { RunRecord } from '../run/record.js';
import {
  afterFailure,
  cleanupStep,
  measureSteps,
  newRecord,
  type Run,
  type RunOptions,
  setupSteps,
} from '../run/run.js';
import { stepRunner } from '../run/step-runner.js';
import { type Mitigator, mitigator } from './mitigator.js';
import { planChanges } from './plan-step.js';
import type { CompareRecord, VariantRun } from './record.js';
import { finalRestore, restoreStep } from './restore-steps.js';
import { schedule } from './schedule.js';

export interface CompareOptions extends RunOptions {
  variants: Variant[];
  repeat: number;
  order: 'interleaved' | 'blocked';
  // Stop after the plan: print what would change, change nothing.
  dryRun?: boolean;
  // Called once the plan is known, before any change.
  onPlan?: (plan: Plan) => void;
}

// A comparison: one connection per host, one preflight, one plan; then each
// variant's run (its mitigations applied, the same reproduction as `repro
// run`, everything restored and verified); then the final restore and the
// cleanup. Never throws: whatever happened is in the record.
export async function runCompare(o: CompareOptions): Promise<CompareRecord> {
  const setup = newRecord(o);
  const run: Run = {
    o,
    rec: setup,
    live: newLiveRun(),
    step: stepRunner(setup, o.signal, o.progress),
  };
  const cr = newCompareRecord(o, setup);
  const onInterrupt = () => {
    cr.interrupted = true;
    run.rec.interrupted = true;
    run.live.stop.abort();
  };
  o.signal.addEventListener('abort', onInterrupt, { once: true });
  let m: Mitigator | undefined;
  try {
    await setupSteps(run);
    const { plan, hosts } = await run.step(
      'plan',
      () => planChanges(setup, run.live.transports, o.variants, o.signal),
      (p) => planDetail(p.plan),
    );
    cr.variants = plan.variants.map((v) => ({
      name: v.name,
      settings: v.changes.map((c) => c.change),
    }));
    o.onPlan?.(plan);
    if (o.dryRun) return cr;
    m = mitigator(plan, hosts, run.live.transports, setup.runId);
    if (plan.originals.some((x) => x.length)) await run.step('restore script', () => m!.install());
    for (const slot of schedule(o.variants.length, o.repeat, o.order)) {
      if (o.signal.aborted) {
        cr.interrupted = true;
        break;
      }
      const vr = await variantRun(run, cr, m, slot.variant, slot.repeat);
      if (vr.rec.error) {
        cr.error = vr.rec.error;
        break;
      }
    }
  } catch (e) {
    cr.error = asDropkitError(e, { code: 'COMMAND_FAILED' });
    if (o.signal.aborted) cr.interrupted = true;
  } finally {
    run.live.stop.abort();
    o.signal.removeEventListener('abort', onInterrupt);
    run.rec = setup;
    if (m) cr.restore = await finalRestore(run, m);
    cr.error ??= setup.error;
    await cleanupStep(run);
    cr.steps = setup.steps;
    cr.endedAt = new Date().toISOString();
  }
  return cr;
}

function newCompareRecord(o: CompareOptions, setup: RunRecord): CompareRecord {
  return {
    runId: setup.runId,
    startedAt: setup.startedAt,
    profile: o.profile,
    order: o.order,
    repeats: o.repeat,
    variants: o.variants.map((v) => ({ name: v.name, settings: [] })),
    runs: [],
    steps: [],
    restore: [],
    interrupted: false,
  };
}

function planDetail(plan: Plan): string {
  const n = plan.variants.reduce((k, v) => k + v.changes.length, 0);
  return n
    ? `${n} change(s) in ${plan.variants.filter((v) => v.changes.length).length} variant(s)`
    : 'nothing to change';
}

// One variant's run: its own record and step list, the connections shared.
async function variantRun(
  run: Run,
  cr: CompareRecord,
  m: Mitigator,
  variant: number,
  repeat: number,
): Promise<VariantRun> {
  const setup = run.rec;
  const rec = forkRecord(setup);
  const v = cr.variants[variant]!;
  const vr: VariantRun = { variant: v.name, repeat, settings: v.settings, rec };
  cr.runs.push(vr);
  Object.assign(run, { rec, step: stepRunner(rec, run.o.signal, run.o.progress) });
  run.live.stop = new AbortController();
  const label = `${v.name}${cr.repeats > 1 ? ` #${repeat}` : ''}`;
  run.o.progress.note(`variant ${label}`);
  try {
    if (v.settings.length)
      await run.step(
        'apply',
        () => m.apply(variant),
        (d) => d,
      );
    await measureSteps(run);
  } catch (e) {
    await afterFailure(run, e);
  } finally {
    run.live.stop.abort();
    keepSessions(rec, run.live);
    if (v.settings.length) await restoreStep(run, m);
    rec.endedAt = new Date().toISOString();
    Object.assign(run, { rec: setup, step: stepRunner(setup, run.o.signal, run.o.progress) });
  }
  return vr;
}

// The hosts as the setup found them, for a new run: same connections, data
// path and preflight; fresh snapshots, samplers, trace and steps.
function forkRecord(setup: RunRecord): RunRecord {
  const { error: _error, endedAt: _endedAt, ...rest } = setup;
  return {
    ...rest,
    startedAt: new Date().toISOString(),
    hosts: setup.hosts.map((h) => ({
      role: h.role,
      spec: h.spec,
      ...(h.transport ? { transport: h.transport } : {}),
      ...(h.doctor ? { doctor: h.doctor } : {}),
      ...(h.dataIface ? { dataIface: h.dataIface } : {}),
    })) as RunRecord['hosts'],
    phases: [],
    steps: [],
    interrupted: false,
  };
}
