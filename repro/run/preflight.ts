import { diagnose, type HostReport } from '../../kit/doctor/doctor.js';
import { DropkitError } from '../../kit/errors.js';
import type { Transport } from '../../kit/transport/types.js';

// The doctor's checks on both hosts at once. Each host's clock offset is
// measured here too: the doctor reads the host clock alongside its probe, over
// the same connection, and the series are aligned with that offset.
export async function preflight(
  sender: Transport,
  receiver: Transport,
  signal: AbortSignal,
): Promise<[HostReport, HostReport]> {
  return Promise.all([diagnose(sender, 'repro', signal), diagnose(receiver, 'repro', signal)]);
}

// What blocks the run: every failed check of both hosts in one error, named
// after the first host at fault, with that check's hint. Pure.
export function preflightError(reports: readonly HostReport[]): DropkitError | undefined {
  const bad = reports.flatMap((r) =>
    r.checks.filter((c) => c.status === 'fail').map((c) => ({ host: r.host, c })),
  );
  const first = bad[0];
  if (!first) return undefined;
  return new DropkitError({
    code: 'PREFLIGHT_FAILED',
    message: bad.map((x) => `${x.host} ${x.c.id}: ${x.c.detail}`).join('; '),
    host: first.host,
    step: 'preflight',
    ...(first.c.hint ? { hint: first.c.hint } : {}),
  });
}

// Warnings a run must not hide: a restore still pending on a host from an
// earlier comparison. Pure.
export function preflightNotes(reports: readonly HostReport[]): string[] {
  return reports.flatMap((r) =>
    r.checks
      .filter((c) => c.id === 'restore' && c.status === 'warn')
      .map((c) => `${r.host}: ${c.detail}; run \`repro restore --node ${r.host}\``),
  );
}
