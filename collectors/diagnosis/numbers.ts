import { thousands } from '../../kit/thousands.js';

// Plain-text number formatting for explanations and one-liners.

export function count(n: bigint): string {
  return thousands(n);
}

// `1 time`, `40 times`.
export function counted(n: bigint, unit: string): string {
  return `${count(n)} ${unit}${n === 1n ? '' : 's'}`;
}

// `1 packet`, `18,234 packets`.
export function packets(n: bigint): string {
  return counted(n, 'packet');
}

export function perSecond(rate: number): string {
  const shown = rate >= 10 ? thousands(Math.round(rate)) : rate.toFixed(1);
  return `${shown}/s`;
}

export function seconds(sec: number): string {
  if (sec < 120) return `${Number(sec.toFixed(1))} s`;
  if (sec < 7200) return `${Number((sec / 60).toFixed(1))} min`;
  return `${Number((sec / 3600).toFixed(1))} h`;
}

// `cpu1`, `cpu1 and cpu3`, `cpu0, cpu1 and 6 more CPUs`.
export function cpuList(cpus: readonly number[]): string {
  const names = cpus.map((c) => `cpu${c}`);
  if (names.length <= 2) return names.join(' and ');
  if (names.length <= 4) return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more CPUs`;
}
