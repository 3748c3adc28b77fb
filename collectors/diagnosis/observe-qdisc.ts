import type { CounterDelta } from '../counter-delta.js';
import type { Snapshot } from '../model.js';
import { getOwn } from '../own-record.js';
import { childrenOf, isIngress, placeKey, SUMS_CHILDREN } from '../qdisc-tree.js';
import type { SnapshotDelta } from '../snapshot-delta.js';
import { classifyQdisc, type QdiscRole } from './drivers/qdisc.js';
import type { Observation } from './observation.js';

// tc -s qdisc as observations: each qdisc's drops, overlimits and requeues, classified by where
// it sits (drivers/qdisc.ts). A drop is loss at one place only: where no qdisc under it counted
// it already, so mq's sums and a parent's totals are context and the qdiscs of a device add up
// to the packets they lost, once.

const COUNTERS = ['drops', 'overlimits', 'requeues'] as const;

interface Moved {
  delta: bigint;
  reset: boolean;
  ratePerSec?: number;
}

interface Entry {
  dev?: string;
  kind: string;
  handle: string;
  parent?: string;
  values: Partial<Record<(typeof COUNTERS)[number], Moved>>;
  // False for a qdisc created during the run: its counts only make its parent's add up.
  observed: boolean;
}

// During the run. A qdisc in one capture only (created, deleted or replaced in between) is not
// observed: without a before value its count may predate the run.
export function observeQdiscDelta(delta: SnapshotDelta, after: Snapshot): Observation[] {
  if (!delta.qdiscs) return [];
  const afterByPlace = new Map((after.qdiscs ?? []).map((q) => [placeKey(q), q]));
  const entries: Entry[] = [];
  for (const d of delta.qdiscs) {
    if (d.presence === 'removed') continue;
    const values: Entry['values'] = {};
    for (const c of COUNTERS) {
      if (d.presence === 'added') {
        // Created during the run: everything it counted is the run's, and its parent's too.
        const v = getOwn(afterByPlace.get(placeKey(d))?.counters ?? {}, c);
        if (v !== undefined) values[c] = { delta: v, reset: false };
      } else {
        const cd = getOwn(d.counters.deltas, c);
        if (cd) values[c] = moved(cd);
      }
    }
    entries.push({ ...place(d), values, observed: d.presence === undefined });
  }
  return observeEntries(entries, false);
}

// One capture: every count since the qdisc was created (with its device, at boot at the
// earliest, or by tc).
export function observeQdiscSinceCreation(after: Snapshot): Observation[] {
  const entries = (after.qdiscs ?? []).map((q) => {
    const values: Entry['values'] = {};
    for (const c of COUNTERS) {
      const v = getOwn(q.counters, c);
      if (v !== undefined) values[c] = { delta: v, reset: false };
    }
    return { ...place(q), values, observed: true };
  });
  return observeEntries(entries, true);
}

function place(q: { dev?: string; kind: string; handle: string; parent?: string }) {
  return {
    ...(q.dev === undefined ? {} : { dev: q.dev }),
    kind: q.kind,
    handle: q.handle,
    ...(q.parent === undefined ? {} : { parent: q.parent }),
  };
}

function moved(cd: CounterDelta): Moved {
  return {
    delta: cd.delta,
    reset: cd.reset,
    ...(cd.ratePerSec === undefined ? {} : { ratePerSec: cd.ratePerSec }),
  };
}

function observeEntries(entries: readonly Entry[], sinceBoot: boolean): Observation[] {
  const children = childrenOf(entries);
  const out: Observation[] = [];
  for (const e of entries) {
    if (!e.observed) continue;
    const under = children.get(e) ?? [];
    const role = roleOf(e, under.length > 0);
    for (const c of COUNTERS) {
      const v = e.values[c];
      const hit = v && classifyQdisc(role, c);
      if (v && hit) out.push(observation(e, c, hit.rule, v, sinceBoot));
    }
    const drops = e.values.drops;
    if (role !== 'parent' || drops === undefined) continue;
    // What the children do not account for is the parent's own: htb's direct queue, a filter's
    // drop verdict. Never below 0 (a child re-created during the run can count more).
    const theirs = under.reduce((sum, u) => sum + (u.values.drops?.delta ?? 0n), 0n);
    const own = drops.delta > theirs ? drops.delta - theirs : 0n;
    const share: Moved = { delta: own, reset: drops.reset };
    if (drops.ratePerSec !== undefined && drops.delta > 0n) {
      share.ratePerSec = (drops.ratePerSec * Number(own)) / Number(drops.delta);
    }
    const hit = classifyQdisc(role, 'own drops');
    if (hit) out.push(observation(e, 'own drops', hit.rule, share, sinceBoot));
  }
  return out;
}

function roleOf(e: Entry, hasChildren: boolean): QdiscRole {
  if (isIngress(e)) return 'ingress';
  if (SUMS_CHILDREN.has(e.kind)) return 'sum';
  return hasChildren ? 'parent' : 'leaf';
}

function observation(
  e: Entry,
  counter: string,
  rule: Observation['rule'],
  v: Moved,
  sinceBoot: boolean,
): Observation {
  const where = e.parent === undefined ? '' : e.parent === 'root' ? ' root' : ` parent ${e.parent}`;
  const key = `${e.kind} ${e.handle}${where} ${counter}`;
  return {
    area: 'qdisc',
    key,
    rule,
    ...(e.dev === undefined ? {} : { iface: e.dev }),
    name: `qdisc ${e.kind} ${e.handle}${e.dev === undefined ? '' : ` dev ${e.dev}`}${where} ${counter}`,
    delta: v.delta,
    reset: v.reset,
    sinceBoot,
    ...(v.ratePerSec === undefined || sinceBoot ? {} : { ratePerSec: v.ratePerSec }),
    wrapBits: 32,
    qdisc: {
      kind: e.kind,
      handle: e.handle,
      ...(e.parent === undefined ? {} : { parent: e.parent }),
    },
  };
}
