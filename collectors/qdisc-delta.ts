import { type DeltaOptions, type MapDelta, mapDelta } from './counter-delta.js';
import { getOwn } from './own-record.js';
import { placeKey } from './qdisc-tree.js';
import { KIND_STATS, kindStats, type Qdisc } from './tc-qdisc.js';

// Per-qdisc deltas of `tc -s qdisc show`, matched by device, handle and parent.

export interface QdiscDelta {
  dev?: string;
  kind: string;
  handle: string;
  parent?: string;
  // bytes, packets, drops, overlimits, requeues.
  counters: MapDelta;
  // The kind's own counters (kindStats: fq_codel drop_overlimit, fq flows_plimit).
  stats: MapDelta;
  // Only in one capture: created or deleted in between (or another kind took its place), so
  // its counts are not the run's.
  presence?: 'added' | 'removed';
}

// gnet_stats_queue (drops, overlimits, requeues) is __u32 in the netlink message tc reads, so
// those wrap at 2^32. bytes are 64-bit, and so are packets since kernel 5.5 (TCA_STATS_PKT64;
// gnet_stats_basic.packets is __u32 before, and a wrap there reads as a reset: packets judge
// nothing).
const U32_COUNTERS = new Set(['drops', 'overlimits', 'requeues']);

export interface QdiscDeltaOptions {
  intervalSec?: number;
  // false: the host rebooted in between (boot ids differ), every count restarted. Never true:
  // unlike softnet_stat, a qdisc's counters restart whenever it is re-created on one boot.
  sameBoot?: false;
}

export function qdiscDeltas(
  before: readonly Qdisc[],
  after: readonly Qdisc[],
  opts: QdiscDeltaOptions = {},
): QdiscDelta[] {
  // A place printed twice (a forged list) pairs in order.
  const waiting = new Map<string, { list: Qdisc[]; next: number }>();
  for (const b of before) {
    const key = placeKey(b);
    const w = waiting.get(key) ?? { list: [], next: 0 };
    w.list.push(b);
    waiting.set(key, w);
  }
  const out: QdiscDelta[] = [];
  const gone: Qdisc[] = [];
  for (const a of after) {
    const w = waiting.get(placeKey(a));
    const b = w && w.next < w.list.length ? w.list[w.next++] : undefined;
    if (b && b.kind === a.kind) {
      out.push(matched(b, a, opts));
      continue;
    }
    if (b) gone.push(b);
    out.push(oneSide(a, 'added'));
  }
  for (const w of waiting.values()) gone.push(...w.list.slice(w.next));
  for (const b of gone) out.push(oneSide(b, 'removed'));
  return out;
}

function matched(b: Qdisc, a: Qdisc, opts: QdiscDeltaOptions): QdiscDelta {
  // bytes never wraps in practice: fewer bytes than before means the qdisc was re-created
  // (its device was, or tc replaced it with the same handle), and every counter restarted.
  const bytesB = getOwn(b.counters, 'bytes');
  const bytesA = getOwn(a.counters, 'bytes');
  const recreated = bytesB !== undefined && bytesA !== undefined && bytesA < bytesB;
  const base: DeltaOptions = {
    ...(opts.intervalSec === undefined ? {} : { intervalSec: opts.intervalSec }),
    ...(recreated || opts.sameBoot === false ? { sameBoot: false } : {}),
  };
  const bits = getOwn(KIND_STATS, a.kind)?.bits ?? 64;
  return {
    ...place(a),
    counters: byWidth(b.counters, a.counters, base),
    stats: mapDelta(kindStats(b), kindStats(a), { ...base, wrapBits: bits }),
  };
}

function oneSide(q: Qdisc, presence: 'added' | 'removed'): QdiscDelta {
  const counters = presence === 'added' ? mapDelta({}, q.counters) : mapDelta(q.counters, {});
  const stats = presence === 'added' ? mapDelta({}, kindStats(q)) : mapDelta(kindStats(q), {});
  return { ...place(q), counters, stats, presence };
}

function place(q: Qdisc): Pick<QdiscDelta, 'dev' | 'kind' | 'handle' | 'parent'> {
  return {
    ...(q.dev === undefined ? {} : { dev: q.dev }),
    kind: q.kind,
    handle: q.handle,
    ...(q.parent === undefined ? {} : { parent: q.parent }),
  };
}

// One MapDelta over counters of two widths.
function byWidth(
  before: Record<string, bigint>,
  after: Record<string, bigint>,
  opts: DeltaOptions,
): MapDelta {
  const split = (r: Record<string, bigint>, narrow: boolean) =>
    Object.fromEntries(Object.entries(r).filter(([k]) => U32_COUNTERS.has(k) === narrow));
  const wide = mapDelta(split(before, false), split(after, false), opts);
  const narrow = mapDelta(split(before, true), split(after, true), { ...opts, wrapBits: 32 });
  return {
    deltas: { ...wide.deltas, ...narrow.deltas },
    added: [...wide.added, ...narrow.added],
    removed: [...wide.removed, ...narrow.removed],
    resets: [...wide.resets, ...narrow.resets],
    wrapped: [...wide.wrapped, ...narrow.wrapped],
  };
}
