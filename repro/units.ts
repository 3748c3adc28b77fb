// iperf3's number syntax. Rates (-b, --fq-rate) use 1000-based suffixes
// (unit_atof_rate in iperf3's units.c); sizes (-w, -l) use 1024-based ones
// (unit_atoi). Only K, M and G: a T rate would be far above any cap anyway.

const RATE = /^(\d+(?:\.\d+)?)([KMG]?)$/i;
const SIZE = /^(\d+)([KMG]?)$/i;

const RATE_UNIT: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9 };
const SIZE_UNIT: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

// "2G" -> 2e9 bits/s; undefined when it is not iperf3 rate syntax.
export function parseRate(text: string): number | undefined {
  const m = RATE.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * (RATE_UNIT[(m[2] ?? '').toLowerCase()] ?? 1);
}

// "4M" -> 4194304 bytes; undefined when it is not iperf3 size syntax.
export function parseSize(text: string): number | undefined {
  const m = SIZE.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * (SIZE_UNIT[(m[2] ?? '').toLowerCase()] ?? 1);
}
