import { stepUp } from './sysctl-values.js';

// A qdisc's parameters as tc prints them in its header line (`limit 10240p`, `memory_limit 32Mb`,
// `rate 20Mbit burst 16Kb lat 2ms`), and the values dropkit proposes. Sizes and times are read
// the way iproute2 prints them (sprint_size: b, Kb, Mb, Gb in powers of 1024; sprint_time: us,
// ms, s); what does not read as one is unknown, never guessed.

// The word after `name` in the options, when there is one.
export function optionWord(options: string, name: string): string | undefined {
  const words = options.split(/\s+/);
  const i = words.indexOf(name);
  return i < 0 ? undefined : words[i + 1];
}

// `10240p` → 10240.
export function parsePackets(word: string | undefined): number | undefined {
  const m = word === undefined ? null : /^(\d{1,10})p$/.exec(word);
  return m ? Number(m[1]) : undefined;
}

const SIZE_UNITS: Record<string, number> = { b: 1, Kb: 1024, Mb: 1024 ** 2, Gb: 1024 ** 3 };

// `30000b`, `16Kb`, `1.5Mb` → bytes.
export function parseSize(word: string | undefined): number | undefined {
  const m = word === undefined ? null : /^(\d{1,10}(?:\.\d{1,6})?)(b|Kb|Mb|Gb)$/.exec(word);
  return m ? Math.round(Number(m[1]) * SIZE_UNITS[m[2]!]!) : undefined;
}

// A size tc reads back the same: whole MiB as `32Mb`, else bytes.
export function formatSize(bytes: number): string {
  return bytes % 1024 ** 2 === 0 ? `${bytes / 1024 ** 2}Mb` : String(bytes);
}

const TIME_UNITS: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000 };

// `2ms`, `17.7ms`, `1s`, `500us` → microseconds.
export function parseTimeUs(word: string | undefined): number | undefined {
  const m = word === undefined ? null : /^(\d{1,10}(?:\.\d{1,6})?)(us|ms|s)$/.exec(word);
  return m ? Math.round(Number(m[1]) * TIME_UNITS[m[2]!]!) : undefined;
}

export function formatTime(us: number): string {
  if (us % 1_000_000 === 0) return `${us / 1_000_000}s`;
  if (us % 1000 === 0) return `${us / 1000}ms`;
  return `${us}us`;
}

// `20Mbit`, `1Mbit`, `550Kbit`: kept as printed, tc reads it back.
export function isRate(word: string | undefined): word is string {
  return word !== undefined && /^\d{1,10}(?:\.\d{1,6})?[KMGT]?bit$/.test(word);
}

// Each target is at least the kernel's default for that qdisc and 4× the current value, capped
// at 10× the default: past that a queue only adds latency (10,000 full-size packets are 120 ms
// at 1 Gb/s), and the answer is to pace the sender or shape below the link. Undefined at the
// cap. pfifo and bfifo default to txqueuelen (1000) packets, or that many 1514-byte frames.
export function fifoPacketsTarget(current: number | undefined): number | undefined {
  return stepUp(current, 1000, 4, 10_000, 'none');
}
export function fifoBytesTarget(current: number | undefined): number | undefined {
  return stepUp(current, 1000 * 1514, 4, 10_000 * 1514, 'none');
}
// fq_codel: limit 10240 packets, memory_limit 32 MiB (cap 256 MiB, per queue).
export function fqCodelLimitTarget(current: number | undefined): number | undefined {
  return stepUp(current, 10_240, 4, 102_400, 'none');
}
export function fqCodelMemoryTarget(current: number | undefined): number | undefined {
  return stepUp(current, 32 * 1024 ** 2, 4, 256 * 1024 ** 2, 'pow2');
}
// fq: limit 10000 packets, flow_limit 100 packets per flow.
export function fqLimitTarget(current: number | undefined): number | undefined {
  return stepUp(current, 10_000, 4, 100_000, 'none');
}
export function fqFlowLimitTarget(current: number | undefined): number | undefined {
  return stepUp(current, 100, 4, 1000, 'none');
}
// tbf: the time a packet may wait for tokens (its queue is rate × latency); 4× up to 1 s.
export function tbfLatencyTarget(currentUs: number | undefined): number | undefined {
  if (currentUs === undefined || currentUs >= 1_000_000) return undefined;
  return Math.min(currentUs * 4, 1_000_000);
}
// txqueuelen (pfifo_fast's limit, per TX queue): the target is the cap of the FIFOs above;
// the snapshot has the current one from ip link (`qlen`).
export const TXQUEUELEN_TARGET = 10_000;
