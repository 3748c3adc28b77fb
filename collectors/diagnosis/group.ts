import type { DropClass } from './classes.js';
import { baseName } from './drivers/index.js';
import type { Observation } from './observation.js';
import { AMBIGUOUS_MIN, AMBIGUOUS_MIN_RATE, LOSS_MIN, SQUEEZE_MIN } from './thresholds.js';

// Observations that point at one place and one cause: a finding in the making.
export interface Group {
  class: DropClass;
  iface?: string;
  // A cause of its own inside the class (CounterRule.cause): `listen`, `port-buffer`.
  cause?: string;
  // Counters (and trace entries) that count the lost packets: the headline comes from these.
  members: Observation[];
  // Events that go with the loss (queue stopped, flow limit hit, tx_errors): context only.
  support: Observation[];
  // True when only ambiguous counters made the group (no corroboration).
  ambiguousOnly: boolean;
}

// RING, TXQ, CLOUD and OTHER belong to one interface. BACKLOG and SQUEEZE are per CPU and
// SOCKET per host: an interface's rx_dropped joins the host's BACKLOG group. QDISC is per
// interface when tc names the device, per host when only the trace saw it (a kfree_skb
// QDISC_DROP names no device).
const PER_INTERFACE = new Set<DropClass>(['RING', 'TXQ', 'CLOUD', 'OTHER']);

function perInterface(cls: DropClass, iface: string | undefined): boolean {
  return PER_INTERFACE.has(cls) || (cls === 'QDISC' && iface !== undefined);
}

function scopeKey(cls: DropClass, iface: string | undefined, cause?: string): string {
  const base = perInterface(cls, iface) ? `${cls}|${iface ?? ''}` : `${cls}|`;
  return cause === undefined ? base : `${base}|${cause}`;
}

export interface GroupOptions {
  // softnet_stat was collected: a veth rx_dropped without softnet `dropped` is then not a
  // backlog drop (enqueue_to_backlog counts both).
  haveSoftnet: boolean;
}

const weak = (o: Observation) => o.rule.kind === 'ambiguous' || o.rule.kind === 'guess';

// One loss, one finding: every counter that shows a loss goes to the group of the counter that
// counts it first. A kernel counter the driver feeds (rx_missed_errors from mlx5
// rx_out_of_buffer or bnxt rx_discards, rx_dropped from mlx5 rx_discards_phy) follows its
// feeder; a counter that `joins` a class is part of that class's loss when one is open on its
// interface; events and sums are context of the group they describe.
export function groupObservations(all: readonly Observation[], opts: GroupOptions): Group[] {
  const moved = all.filter((o) => o.delta > 0n && isActionable(o));
  const groups = new Map<string, Group>();
  const home = new Map<Observation, Group>();
  const add = (
    cls: DropClass,
    cause: string | undefined,
    o: Observation,
    as: 'members' | 'support',
  ) => {
    const key = scopeKey(cls, o.iface, cause);
    let g = groups.get(key);
    if (!g) {
      g = { class: cls, members: [], support: [], ambiguousOnly: as === 'members' && weak(o) };
      if (perInterface(cls, o.iface) && o.iface !== undefined) g.iface = o.iface;
      if (cause !== undefined) g.cause = cause;
      groups.set(key, g);
    }
    addTo(g, o, as);
  };
  const addTo = (g: Group, o: Observation, as: 'members' | 'support') => {
    g[as].push(o);
    if (as === 'members' && !weak(o)) g.ambiguousOnly = false;
    home.set(o, g);
  };

  // Kernel counters with a moved driver counter that feeds them wait for their feeder's group.
  const feederOf = (o: Observation): Observation | undefined =>
    o.area !== 'kernel'
      ? undefined
      : moved.find(
          (m) =>
            m.iface === o.iface &&
            m.area === 'ethtool' &&
            (m.rule.kind === 'loss' || m.rule.kind === 'stall') &&
            m.rule.feeds?.includes(baseName(o.key)),
        );
  const fed = new Map<Observation, Observation>();
  for (const o of moved) {
    const f = feederOf(o);
    if (f) fed.set(o, f);
  }
  const opens = (o: Observation) =>
    !fed.has(o) && ((o.rule.kind === 'loss' && o.delta >= LOSS_MIN) || o.rule.kind === 'stall');

  // 1. Counters that only count loss (or a stalled queue) open a group.
  for (const o of moved) {
    if (opens(o) && o.rule.joins === undefined) add(o.rule.class, o.rule.cause, o, 'members');
  }
  // 2. ...those that belong to another class's loss when it is there, after them.
  for (const o of moved) {
    if (!opens(o) || o.rule.joins === undefined) continue;
    const joined = groups.get(scopeKey(o.rule.joins, o.iface));
    if (joined) addTo(joined, o, 'members');
    else add(o.rule.class, o.rule.cause, o, 'members');
  }
  // 3. Kernel counters follow the driver counter that feeds them.
  for (const [o, feeder] of fed) {
    const g = home.get(feeder);
    if (g) addTo(g, o, 'members');
  }

  // 4. Ambiguous counters corroborate a group of their class, or stand alone above the floor.
  for (const o of moved.filter((x) => weak(x) && !home.has(x) && !fed.has(x))) {
    const own = groups.get(scopeKey(o.rule.class, o.iface));
    if (own) addTo(own, o, 'members');
    else if (aboveNoiseFloor(o)) add(aloneClass(o, opts), undefined, o, 'members');
  }

  // 5. Events join a group of their class on their interface, or one standing in for it (pause
  // frames sent go with port-buffer discards that would be RING with rx_out_of_buffer). SQUEEZE
  // is made of events.
  const events = moved.filter((o) => o.rule.kind === 'event');
  for (const o of events) {
    if (o.rule.class === 'SQUEEZE') continue;
    const g = groups.get(scopeKey(o.rule.class, o.iface)) ?? standIn(groups, o);
    if (g) addTo(g, o, 'support');
  }
  const squeezes = events.filter((o) => o.rule.class === 'SQUEEZE');
  const total = squeezes.reduce((s, o) => s + o.delta, 0n);
  const ringLoss = [...groups.values()].some((g) => g.class === 'RING');
  if (total >= SQUEEZE_MIN || (total > 0n && ringLoss)) {
    for (const o of squeezes) add('SQUEEZE', undefined, o, 'members');
  }

  // 6. Sums that include a finding's packets (tx_errors around a TX timeout) are its context.
  for (const o of all) {
    if (o.rule.kind !== 'aggregate' || o.sinceBoot || o.delta <= 0n || o.iface === undefined) {
      continue;
    }
    const mine = [...groups.values()].filter(
      (x) =>
        x.iface === o.iface &&
        x.members.some((m) => m.rule.direction === o.rule.direction && m.iface === o.iface),
    );
    // A qdisc's total (mq's sum) goes with the qdisc loss it repeats, not a TXQ of that device.
    const g = mine.find((x) => x.class === o.rule.class) ?? mine[0];
    if (g) addTo(g, o, 'support');
  }
  foldTraceQdisc(groups);
  return [...groups.values()];
}

// The trace's qdisc drops name no device; tc's name one. Both there, they are the same loss: a
// single device's group takes the trace as members (two sources agree); with several devices
// the trace cannot say whose drops it saw, so it is context of the biggest.
function foldTraceQdisc(groups: Map<string, Group>): void {
  const key = scopeKey('QDISC', undefined);
  const host = groups.get(key);
  const devices = [...groups.values()].filter((g) => g.class === 'QDISC' && g !== host);
  if (!host || devices.length === 0) return;
  groups.delete(key);
  const size = (g: Group) => g.members.reduce((s, o) => s + o.delta, 0n);
  if (devices.length === 1) {
    devices[0]!.members.push(...host.members);
    devices[0]!.support.push(...host.support);
    return;
  }
  const biggest = devices.reduce((a, b) => (size(b) > size(a) ? b : a));
  biggest.support.push(...host.members, ...host.support);
}

function standIn(groups: Map<string, Group>, o: Observation): Group | undefined {
  for (const g of groups.values()) {
    if (g.iface === o.iface && g.members.some((m) => m.rule.joins === o.rule.class)) return g;
  }
  return undefined;
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
