import type { Transport } from '../transport/types.js';

export interface ClockOffset {
  // Host clock minus operator clock, in milliseconds.
  offsetMs: number;
  // Half the round trip of the best sample: the offset is exact within ±this.
  errorMs: number;
  samples: number;
  // busybox `date` has no %N; then the host clock is known to the second only.
  resolution: 'ns' | 's';
}

// NTP-style estimate from the sample with the smallest round trip: the host
// read its clock somewhere between our two reads.
export function offsetFromSamples(
  samples: Array<{ t0: number; t1: number; remoteMs: number }>,
  resolution: 'ns' | 's',
): ClockOffset | undefined {
  if (!samples.length) return undefined;
  const best = samples.reduce((a, b) => (b.t1 - b.t0 < a.t1 - a.t0 ? b : a));
  const mid = (best.t0 + best.t1) / 2;
  const half = (best.t1 - best.t0) / 2;
  return {
    offsetMs: best.remoteMs - mid + (resolution === 's' ? 500 : 0),
    errorMs: half + (resolution === 's' ? 500 : 0),
    samples: samples.length,
    resolution,
  };
}

export function parseRemoteDate(text: string): { ms: number; resolution: 'ns' | 's' } | undefined {
  const t = text.trim();
  if (/^\d+\.\d{9}$/.test(t)) {
    const [s, ns] = t.split('.');
    return { ms: Number(s) * 1000 + Number(ns) / 1e6, resolution: 'ns' };
  }
  const s = t.match(/^(\d+)\.?N?$/);
  return s ? { ms: Number(s[1]) * 1000, resolution: 's' } : undefined;
}

function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export async function measureClock(
  t: Transport,
  rounds = 3,
  signal?: AbortSignal,
): Promise<ClockOffset | undefined> {
  const samples: Array<{ t0: number; t1: number; remoteMs: number }> = [];
  let resolution: 'ns' | 's' = 'ns';
  for (let i = 0; i < rounds; i++) {
    const t0 = wallNow();
    const r = await t.exec({ argv: ['date', '+%s.%N'], timeoutMs: 5000, signal, step: 'clock' });
    const t1 = wallNow();
    const parsed = parseRemoteDate(r.stdout.toString('utf8'));
    if (!parsed) continue;
    resolution = parsed.resolution;
    samples.push({ t0, t1, remoteMs: parsed.ms });
  }
  return offsetFromSamples(samples, resolution);
}
