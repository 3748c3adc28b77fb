// Where a qdisc sits among the others of its device, from what `tc -s qdisc show` prints:
// `qdisc tbf 8002: dev eth0 parent 1:4` hangs under the qdisc whose handle is `1:`. Pure.

export interface QdiscPlace {
  dev?: string;
  handle: string;
  parent?: string;
}

// mq and mqprio keep no counts of their own: their dump sums their children's (mq_dump in
// net/sched/sch_mq.c zeroes its stats and adds every TX queue's qdisc). Every other classful
// qdisc counts its children's drops again in its own: a child's failed enqueue returns a drop
// code and the parent calls qdisc_qstats_drop() (htb_enqueue, tbf_enqueue, prio_enqueue...),
// and a drop at dequeue reaches every ancestor through qdisc_tree_reduce_backlog()
// (net/sched/sch_api.c). Either way a parent's drops repeat its children's.
export const SUMS_CHILDREN: ReadonlySet<string> = new Set(['mq', 'mqprio']);

// The ingress side: ingress and clsact hang at ffff:fff1 (TC_H_INGRESS). Their drops are the
// verdicts of tc filters (TC_ACT_SHOT), not a full queue.
export function isIngress(q: { kind: string; parent?: string }): boolean {
  return q.kind === 'ingress' || q.kind === 'clsact' || q.parent === 'ffff:fff1';
}

// The major number of a handle or class id as tc prints it (`8001:`, `1:3`, `:3` under the
// default mq, whose handle is 0); undefined for `root` or anything else.
export function majorOf(id: string | undefined): number | undefined {
  const m = id === undefined ? null : /^([0-9a-f]{0,4}):([0-9a-f]{0,4})$/i.exec(id);
  if (!m) return undefined;
  return m[1] === '' ? 0 : Number.parseInt(m[1]!, 16);
}

// One qdisc's identity across two captures: its device, handle and parent.
export function placeKey(q: QdiscPlace): string {
  return JSON.stringify([q.dev ?? null, q.handle, q.parent ?? null]);
}

// Each qdisc's parent qdisc, when it is in the list. The parent is the qdisc of the same device
// whose handle has the major of `parent`; the default mq's children share its handle `0:`, so
// a qdisc hanging under that same major (a sibling) is never the parent. One pass each way: a
// host's list can be long (a default mq has a child per TX queue) or forged.
export function parentsOf<T extends QdiscPlace>(qs: readonly T[]): Map<T, T> {
  const key = (dev: string | undefined, major: number) => JSON.stringify([dev ?? null, major]);
  const candidates = new Map<string, T>();
  for (const p of qs) {
    const major = majorOf(p.handle);
    if (major === undefined || majorOf(p.parent) === major) continue;
    const k = key(p.dev, major);
    if (!candidates.has(k)) candidates.set(k, p);
  }
  const parents = new Map<T, T>();
  for (const q of qs) {
    const major = majorOf(q.parent);
    const parent = major === undefined ? undefined : candidates.get(key(q.dev, major));
    if (parent && parent !== q) parents.set(q, parent);
  }
  return parents;
}

// The inverse: each qdisc's children (direct ones only), in list order.
export function childrenOf<T extends QdiscPlace>(qs: readonly T[]): Map<T, T[]> {
  const children = new Map<T, T[]>();
  for (const [child, parent] of parentsOf(qs)) {
    const list = children.get(parent) ?? [];
    list.push(child);
    children.set(parent, list);
  }
  return children;
}
