import type { DropClass } from './classes.js';
import type { Observation } from './observation.js';
import { AMBIGUOUS_MIN, AMBIGUOUS_MIN_RATE, LOSS_MIN, SQUEEZE_MIN } from './thresholds.js';

// Observations that point at one place and one cause: a finding in the making.
export interface Group {
  class: DropClass;
  iface?: string;
  // Counters (and trace entries) that count the lost packets: the headline comes from these.
  members: Observation[];
  // Events that go with the loss (queue stopped, flow limit hit): context only.
  support: Observation[];
  // True when only ambiguous counters made the group (no corroboration).
  ambiguousOnly: boolean;
}

// RING, TXQ, CLOUD and OTHER belong to one interface. BACKLOG and SQUEEZE are per CPU and
// SOCKET and QDISC per host: an interface's rx_dropped joins the host's BACKLOG group.
const PER_INTERFACE = new Set<DropClass>(['RING', 'TXQ', 'CLOUD', 'OTHER']);

function scopeKey(cls: DropClass, iface: string | undefined): string {
  return PER_INTERFACE.has(cls) ? `${cls}|${iface ?? ''}` : `${cls}|`;
}

export interface GroupOptions {
  // softnet_stat was collected: a veth rx_dropped without softnet `dropped` is then not a
  // backlog drop (enqueue_to_backlog counts both).
  haveSoftnet: boolean;
}

export function groupObservations(all: readonly Observation[], opts: GroupOptions): Group[] {
  const moved = all.filter((o) => o.delta > 0n && isActionable(o));
  const groups = new Map<string, Group>();
  const add = (cls: DropClass, o: Observation, as: 'members' | 'support', ambiguous = false) => {
    const key = scopeKey(cls, o.iface);
    let g = groups.get(key);
    if (!g) {
      g = { class: cls, members: [], support: [], ambiguousOnly: ambiguous };
      if (PER_INTERFACE.has(cls) && o.iface !== undefined) g.iface = o.iface;
      groups.set(key, g);
    }
    g[as].push(o);
    if (as === 'members' && !ambiguous) g.ambiguousOnly = false;
  };

  // 1. Counters that only count loss open a group.
  for (const o of moved) {
    if (o.rule.kind === 'loss' && o.delta >= LOSS_MIN) add(o.rule.class, o, 'members');
  }

  // 2. Ambiguous counters corroborate a group of their class, or stand alone above the floor.
  for (const o of moved.filter((x) => x.rule.kind === 'ambiguous' || x.rule.kind === 'guess')) {
    if (groups.has(scopeKey(o.rule.class, o.iface))) add(o.rule.class, o, 'members', true);
    else if (aboveNoiseFloor(o)) add(aloneClass(o, opts), o, 'members', true);
  }

  // 3. Events join a group of their class; SQUEEZE is made of events.
  const events = moved.filter((o) => o.rule.kind === 'event');
  for (const o of events) {
    if (o.rule.class !== 'SQUEEZE' && groups.has(scopeKey(o.rule.class, o.iface))) {
      add(o.rule.class, o, 'support');
    }
  }
  const squeezes = events.filter((o) => o.rule.class === 'SQUEEZE');
  const total = squeezes.reduce((s, o) => s + o.delta, 0n);
  const ringLoss = [...groups.values()].some((g) => g.class === 'RING');
  if (total >= SQUEEZE_MIN || (total > 0n && ringLoss)) {
    for (const o of squeezes) add('SQUEEZE', o, 'members');
  }
  return [...groups.values()];
}

// Since boot, only counters that cannot be anything but loss speak: rx_dropped has months of
// unknown-protocol frames in it, and old errors or squeezes are history, not a diagnosis.
function isActionable(o: Observation): boolean {
  const k = o.rule.kind;
  if (k === 'policy' || k === 'aggregate' || k === 'gauge') return false;
  if (o.sinceBoot) return k === 'loss' && o.rule.class !== 'OTHER';
  return true;
}

function aboveNoiseFloor(o: Observation): boolean {
  if (o.delta < AMBIGUOUS_MIN) return false;
  return o.ratePerSec === undefined || o.ratePerSec >= AMBIGUOUS_MIN_RATE;
}

// Alone, rx_dropped is "received but not processed" (OTHER). On a veth it can only be the
// backlog when softnet_stat is missing; with softnet_stat collected and its `dropped` still,
// the drop happened before the backlog (MTU, peer down).
function aloneClass(o: Observation, opts: GroupOptions): DropClass {
  if (o.rule.class !== 'BACKLOG') return o.rule.class === 'TXQ' ? 'TXQ' : 'OTHER';
  const onVeth = o.ifaceKind === 'veth' || o.driver === 'veth';
  return onVeth && !opts.haveSoftnet ? 'BACKLOG' : 'OTHER';
}
