import { asDropkitError, DropkitError } from '../errors.js';
import type { Transport } from '../transport/types.js';
import { type Check, evaluate, type Purpose } from './checks.js';
import { type ClockOffset, measureClock } from './clock.js';
import { PROBE_SCRIPT, type ProbeFacts, parseProbe } from './probe.js';

export interface HostReport {
  host: string;
  ok: boolean;
  checks: Check[];
  facts?: ProbeFacts;
  clock?: ClockOffset;
  error?: ReturnType<DropkitError['toJSON']> & { oneLine: string };
}

export interface DoctorReport {
  purpose: Purpose;
  ok: boolean;
  hosts: HostReport[];
}

export function failedConnection(host: string, e: unknown): HostReport {
  const err = asDropkitError(e, { code: 'CONNECT_FAILED', host, step: 'connect' });
  return {
    host,
    ok: false,
    checks: [
      {
        id: 'connection',
        status: 'fail',
        detail: err.oneLine,
        ...(err.hint ? { hint: err.hint } : {}),
      },
    ],
    error: { ...err.toJSON(), oneLine: err.oneLine },
  };
}

// Probe and clock run concurrently over the one connection.
export async function diagnose(
  t: Transport,
  purpose: Purpose,
  signal?: AbortSignal,
): Promise<HostReport> {
  const host = t.info.name;
  try {
    const [probe, clock] = await Promise.all([
      t.exec({ script: PROBE_SCRIPT, timeoutMs: 15_000, signal, step: 'doctor probe' }),
      measureClock(t, 3, signal),
    ]);
    // A probe cut short says nothing about the host's tools or counters:
    // report the probe itself rather than diagnose from half an output.
    if (probe.timedOut || probe.aborted)
      throw new DropkitError({
        code: probe.aborted ? 'ABORTED' : 'COMMAND_FAILED',
        message: probe.aborted
          ? 'the doctor probe was interrupted'
          : 'the doctor probe did not finish within 15 s',
        host,
        step: 'doctor probe',
        ...(probe.aborted ? {} : { hint: 'the host is very slow or hung; check its load' }),
      });
    const facts = parseProbe(probe.stdout.toString('utf8'));
    const checks = evaluate(t.info, facts, clock, purpose);
    return {
      host,
      ok: checks.every((c) => c.status !== 'fail'),
      checks,
      facts,
      ...(clock ? { clock } : {}),
    };
  } catch (e) {
    return failedConnection(host, e);
  }
}

export function summarize(purpose: Purpose, hosts: HostReport[]): DoctorReport {
  return { purpose, ok: hosts.every((h) => h.ok), hosts };
}
