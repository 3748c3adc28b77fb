import { intoSnapshot } from './contribution.js';
import { parseU64 } from './counter.js';
import type { Snapshot } from './model.js';
import { getOwn, hasOwn, setOwn } from './own-record.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { quote, splitLines } from './text-lines.js';

// `tc -s qdisc show`: one block per qdisc, a header line, then its statistics
// and whatever its kind prints (iproute2 tc/tc_qdisc.c print_qdisc,
// tc/tc_util.c print_tcstats_attr):
//   qdisc fq_codel 0: dev eth0 parent :1 limit 10240p flows 1024 ...
//    Sent 1438406 bytes 13461 pkt (dropped 0, overlimits 0 requeues 2)
//    backlog 0b 0p requeues 2
//     maxpacket 1514 drop_overlimit 0 new_flow_count 5 ecn_mark 0
// `dev` is left out when tc was asked about one device; older iproute2 puts
// `rate 0bit 0pps` before `backlog`; a qdisc may print no statistics at all.
export interface Qdisc {
  kind: string;
  // As printed: `8001:`, `0:` for a default qdisc, `ffff:` for ingress and clsact.
  handle: string;
  dev?: string;
  // `root`, or the parent class as printed (`1:3`, `:1` under mq, `ffff:fff1`).
  parent?: string;
  // The kernel's names (struct gnet_stats_basic/_queue): bytes, packets,
  // drops, overlimits, requeues, counted since the qdisc was created (with
  // its device, or by tc). Empty when tc printed no statistics.
  counters: Record<string, bigint>;
  // What is queued at the moment (bytes, packets): gauges, never deltas.
  // tc prints the bytes rounded when they are close to a multiple of 1 KiB
  // or 1 MiB (`64Kb`).
  backlog?: bigint;
  qlen?: bigint;
  // The rest of the header line, the kind's parameters, as printed.
  options: string;
  // The other lines of the block (the kind's own statistics), as printed.
  details: string[];
}

export interface TcQdiscs {
  qdiscs: Qdisc[];
}

// Each field is one token, and `root`, `dev` and `parent` are whole words.
const HEADER =
  /^qdisc\s+(\S+)\s+(\S+)(?:\s+dev\s+(\S+))?(?:\s+(root)(?=\s|$)|\s+parent\s+(\S+))?(?:\s+refcnt\s+\d+(?=\s|$))?(.*)$/;
const SENT =
  /^Sent\s+(\d+)\s+bytes\s+(\d+)\s+pkts?(?:\s+\(dropped\s+(\d+),\s+overlimits\s+(\d+)(?:\s+requeues\s+(\d+))?\))?/;
const BACKLOG = /(?:^|\s)backlog\s+(\d+)([KM]?)b\s+(\d+)p(?:\s+requeues\s+(\d+))?/;
const SIZE_UNIT: Record<string, bigint> = { '': 1n, K: 1024n, M: 1024n * 1024n };

export function parseTcQdisc(text: string): ParseResult<TcQdiscs> {
  const warnings = new WarningList();
  const qdiscs: Qdisc[] = [];
  let current: Qdisc | undefined;

  splitLines(text).forEach((line, i) => {
    const t = line.trim();
    if (t === '') return;
    const header = /^qdisc\s/.test(t) ? HEADER.exec(t) : null;
    if (header) {
      current = headerOf(header);
      qdiscs.push(current);
    } else if (current === undefined) {
      warnings.add(`line ${i + 1}: not a qdisc: ${quote(line)}`);
    } else if (!readStats(current, t)) {
      if (/^Sent\s+\d/.test(t) && !Object.keys(current.counters).length)
        warnings.add(`line ${i + 1}: unexpected statistics line: ${quote(line)}`);
      current.details.push(t);
    }
  });
  return { value: { qdiscs }, warnings: warnings.done() };
}

function headerOf(m: RegExpExecArray): Qdisc {
  const q: Qdisc = { kind: m[1] ?? '', handle: m[2] ?? '', counters: {}, options: '', details: [] };
  if (m[3] !== undefined) q.dev = m[3];
  const parent = m[4] ?? m[5];
  if (parent !== undefined) q.parent = parent;
  q.options = (m[6] ?? '').trim();
  return q;
}

// The `Sent` and `backlog` lines, the first of each; false for any other line.
function readStats(q: Qdisc, t: string): boolean {
  const sent = Object.keys(q.counters).length ? null : SENT.exec(t);
  if (sent) {
    const names = ['bytes', 'packets', 'drops', 'overlimits', 'requeues'];
    names.forEach((name, k) => {
      const v = sent[k + 1] === undefined ? undefined : parseU64(sent[k + 1]!);
      if (v !== undefined) q.counters[name] = v;
    });
    return true;
  }
  const backlog = q.backlog === undefined ? BACKLOG.exec(t) : null;
  if (!backlog) return false;
  const bytes = parseU64(backlog[1] ?? '');
  const packets = parseU64(backlog[3] ?? '');
  if (bytes !== undefined) q.backlog = bytes * (SIZE_UNIT[backlog[2] ?? ''] ?? 1n);
  if (packets !== undefined) q.qlen = packets;
  // Old iproute2 prints requeues only here.
  const requeues = parseU64(backlog[4] ?? '');
  const c = q.counters;
  if (requeues !== undefined && c['bytes'] !== undefined && c['requeues'] === undefined)
    c['requeues'] = requeues;
  // `rate …` before it (old iproute2) is kept as printed.
  if (!t.startsWith('backlog')) q.details.push(t);
  return true;
}

// A kind's own counters among its statistics lines (its print_xstats in iproute2), by the names
// tc prints them under. Gauges printed on the same lines (maxpacket, memory_used, flows,
// new_flows_len) are left out. Some are printed only when they are not zero: once tc printed a
// kind's statistics at all, an absent one is 0.
interface KindStatNames {
  // Width in the kernel's struct, for wraps.
  bits: 32 | 64;
  always: readonly string[];
  whenNonZero: readonly string[];
}
export const KIND_STATS: Readonly<Record<string, KindStatNames>> = {
  // struct tc_fq_codel_qd_stats (__u32); drop_overlimit counts the packets dropped because the
  // limit or memory_limit was reached, drop_overmemory the part due to memory_limit.
  fq_codel: {
    bits: 32,
    always: ['drop_overlimit', 'new_flow_count', 'ecn_mark'],
    whenNonZero: ['ce_mark', 'drop_overmemory'],
  },
  // struct tc_codel_xstats (__u32).
  codel: { bits: 32, always: ['ecn_mark', 'drop_overlimit'], whenNonZero: ['ce_mark'] },
  // struct tc_fq_qd_stats (__u64); flows_plimit counts the drops of a flow over flow_limit.
  fq: {
    bits: 64,
    always: ['gc', 'highprio'],
    whenNonZero: ['ce_mark', 'flows_plimit', 'pkts_too_long', 'alloc_errors'],
  },
};

// The kind's counters from its statistics lines; empty when tc printed none for it.
export function kindStats(q: Qdisc): Record<string, bigint> {
  const names = getOwn(KIND_STATS, q.kind);
  const stats: Record<string, bigint> = {};
  if (!names) return stats;
  const wanted = new Set([...names.always, ...names.whenNonZero]);
  for (const line of q.details) {
    const words = line.split(/\s+/);
    words.forEach((w, i) => {
      const v = wanted.has(w) && !hasOwn(stats, w) ? parseU64(words[i + 1] ?? '') : undefined;
      if (v !== undefined) setOwn(stats, w, v);
    });
  }
  if (!names.always.some((n) => hasOwn(stats, n))) return {};
  for (const n of names.whenNonZero) if (!hasOwn(stats, n)) setOwn(stats, n, 0n);
  return stats;
}

// The qdiscs are host-wide (each names its device), beside the interfaces.
declare module './model.js' {
  interface Snapshot {
    // tc -s qdisc (tc-qdisc.ts); absent when it was not collected.
    qdiscs?: Qdisc[];
  }
}

function qdiscView(s: Snapshot) {
  return {
    qdiscs:
      s.qdiscs?.map((q) => ({
        dev: q.dev ?? null,
        kind: q.kind,
        handle: q.handle,
        parent: q.parent ?? null,
        options: q.options,
        counters: q.counters,
        backlog: q.backlog ?? null,
        qlen: q.qlen ?? null,
      })) ?? null,
  };
}

export const tcQdiscCollector: CollectorSpec = {
  id: 'tc_qdisc',
  description: 'queueing disciplines with drop and overlimit counters (tc -s qdisc)',
  source: { kind: 'command', argv: ['tc', '-s', 'qdisc', 'show'] },
  scope: 'global',
  tool: 'tc',
  rawPath: 'net/tc-s-qdisc.txt',
  sos: ['sos_commands/networking/tc_-s_qdisc_show'],
  model: {
    ...intoSnapshot(parseTcQdisc, (t, d) => {
      d.fields.qdiscs = t.qdiscs;
    }),
    view: qdiscView,
  },
};
