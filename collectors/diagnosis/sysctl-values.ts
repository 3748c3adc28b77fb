import { getOwn } from '../own-record.js';

// The values dropkit proposes, computed from the host's current ones. Each is "at least the
// value known to work, and a real step up from the current one", capped where a bigger value
// costs more than it can buy; at the cap the answer is to spread the load, not to queue more.

export function sysctlInt(sysctls: Record<string, string>, name: string): number | undefined {
  const raw = getOwn(sysctls, name);
  if (raw === undefined || !/^\s*\d+\s*$/.test(raw)) return undefined;
  const n = Number(raw.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

// `net.ipv4.tcp_rmem = 4096	131072	6291456` → [4096, 131072, 6291456].
export function sysctlTriple(
  sysctls: Record<string, string>,
  name: string,
): [number, number, number] | undefined {
  const raw = getOwn(sysctls, name);
  const parts = raw?.trim().split(/\s+/).map(Number);
  if (parts?.length !== 3 || !parts.every(Number.isSafeInteger)) return undefined;
  return [parts[0]!, parts[1]!, parts[2]!];
}

export function pow2AtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

// A proposed value, or undefined when the current one is already at the cap. Queue and buffer
// sizes round up to a power of two (the kernel's own defaults are such, and they read as sizes).
export function stepUp(
  current: number | undefined,
  floor: number,
  factor: number,
  cap: number,
  round: 'pow2' | 'none',
): number | undefined {
  if (current !== undefined && current >= cap) return undefined;
  const scaled = (current ?? 0) * factor;
  const wanted = Math.max(floor, round === 'pow2' ? pow2AtLeast(scaled) : scaled);
  return Math.min(wanted, cap);
}

// netdev_max_backlog: at least 32768, the value that ended the drops in the reference case
// (DESIGN.md), and at least 4× the current one: a backlog that overflowed needs room for the
// next, bigger burst, and doubling often just moves the cliff. Each slot can hold a packet
// (~2 KiB truesize), so the cap of 131072 bounds a full backlog at ~256 MiB per CPU.
export const BACKLOG_FLOOR = 32768;
export const BACKLOG_CAP = 131072;
export function backlogTarget(current: number | undefined): number | undefined {
  return stepUp(current, BACKLOG_FLOOR, 4, BACKLOG_CAP, 'pow2');
}

// netdev_budget (packets per softirq round, default 300) doubles, at least 600; its time
// limit netdev_budget_usecs (default 2000) goes up 4×, at least 8000, so that the time limit
// does not become the new wall for packets that cost more than ~3 µs (GRO, conntrack). Caps:
// 10× the defaults; beyond them the softirq would starve the applications on that CPU.
export const BUDGET_FLOOR = 600;
export const BUDGET_CAP = 3000;
export const BUDGET_USECS_FLOOR = 8000;
export const BUDGET_USECS_CAP = 20000;
export function budgetTarget(current: number | undefined): number | undefined {
  return stepUp(current, BUDGET_FLOOR, 2, BUDGET_CAP, 'none');
}
export function budgetUsecsTarget(current: number | undefined): number | undefined {
  return stepUp(current, BUDGET_USECS_FLOOR, 4, BUDGET_USECS_CAP, 'none');
}

// rmem_max (largest SO_RCVBUF a socket may ask for, default 212992): at least 16 MiB (~130 ms
// of a 1 Gb/s stream, enough to ride out a reader's GC pause or scheduling delay) and 4× the
// current one; capped at 256 MiB. The same for the third value of tcp_rmem.
export const RMEM_FLOOR = 16 * 1024 * 1024;
export const RMEM_CAP = 256 * 1024 * 1024;
export function rmemTarget(current: number | undefined): number | undefined {
  return stepUp(current, RMEM_FLOOR, 4, RMEM_CAP, 'pow2');
}

// somaxconn caps every listen() backlog (the accept queue). The default is 4096 since 5.4 (128
// before): at least 16384 and 4× the current one, capped at 65535, the largest value kernels
// before 5.4 accept (the backlog was an unsigned short).
export const SOMAXCONN_FLOOR = 16384;
export const SOMAXCONN_CAP = 65535;
export function somaxconnTarget(current: number | undefined): number | undefined {
  return stepUp(current, SOMAXCONN_FLOOR, 4, SOMAXCONN_CAP, 'none');
}
