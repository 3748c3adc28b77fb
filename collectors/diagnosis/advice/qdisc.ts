import { parentsOf, placeKey } from '../../qdisc-tree.js';
import { kindStats, type Qdisc } from '../../tc-qdisc.js';
import type { AdviceFor, DiagnosisContext, GroupFacts } from '../context.js';
import type { Mitigation } from '../finding.js';
import type { Group } from '../group.js';
import { packets } from '../numbers.js';
import type { Observation } from '../observation.js';
import { type QdiscCase, type QdiscFix, qdiscFix } from './qdisc-fix.js';
import { label, topCounters, UDEV_FILE, when } from './text.js';

// QDISC: a queueing discipline refused packets on transmit. tc -s qdisc names the device and
// the qdisc, and its kind and parameters say why and what to change (qdisc-fix.ts); the
// kfree_skb trace (QDISC_DROP) alone names neither.
export const qdiscAdvice: AdviceFor = (ctx, g, f) => {
  const { cases, total } = qdiscCases(ctx, g);
  return cases.length ? tcAdvice(ctx, g, f, cases, total) : traceAdvice(ctx, g, f);
};

// Explained one by one; the rest are summed up.
const SHOWN = 4;
// Fixed one by one, biggest first (a default mq has a qdisc per TX queue; a forged list more).
const MAX_FIXES = 256;

function tcAdvice(
  ctx: DiagnosisContext,
  g: Group,
  f: GroupFacts,
  cases: readonly QdiscCase[],
  total: number,
): ReturnType<AdviceFor> {
  const dev = g.iface;
  const txqueuelen = ctx.after.interfaces.find((i) => i.name === dev)?.txqueuelen;
  const fixes = cases.map((c) => qdiscFix(c, dev, txqueuelen));
  const first = cases[0]!;
  // The device is the finding's `iface` (findingLine prints it): not repeated here.
  const shorts = [...new Set(fixes.map((x) => x.short))];
  const kinds = [...new Set(cases.map((c) => c.q.kind))];
  const title =
    total === 1
      ? `${packets(f.packets)} dropped by qdisc ${first.q.kind} ${first.q.handle} (${fixes[0]!.short})`
      : `${packets(f.packets)} dropped by ${total} qdiscs (${shorts.length === 1 ? shorts[0] : kinds.join(', ')})`;
  const tc = g.members.filter((o) => o.area === 'qdisc');
  const span = f.sinceBoot ? 'since they were created' : when(ctx, f);
  const sentences = [
    `The qdiscs of ${dev ?? 'this host'} on ${ctx.host} dropped at least ${packets(f.packets)} on transmit ${span}: ${topCounters(tc)}.`,
    ...fixes.slice(0, SHOWN).map((x) => x.cause),
  ];
  if (total > SHOWN) sentences.push(`${total - SHOWN} more qdiscs dropped likewise.`);
  const repeats = g.support.filter(
    (o) => o.area === 'qdisc' && o.rule.kind === 'aggregate' && o.key.endsWith(' drops'),
  );
  if (repeats.length) {
    const more = repeats.length > 3 ? ` and ${repeats.length - 3} more` : '';
    sentences.push(
      `${repeats.slice(0, 3).map(label).join(', ')}${more} ${repeats.length === 1 ? 'shows' : 'show'} the same drops again (a parent counts its children's): they are counted once.`,
    );
  }
  const traced = g.members.filter((o) => o.area === 'trace');
  if (traced.length) sentences.push(`The drop trace saw them too: ${topCounters(traced)}.`);
  const mitigation = merged(fixes);
  if (total > cases.length) {
    mitigation.caveats?.push(
      `${total - cases.length} more qdiscs dropped fewer packets and need the same change; \`tc -s qdisc show\` lists them.`,
    );
  }
  // tc run for one device (`tc -s qdisc show dev X`) prints no `dev`: no command can name it.
  if (dev === undefined) {
    mitigation.summary = `tc named no device, so no command can be given. ${mitigation.summary}`;
  }
  return {
    title,
    explanation: sentences.join(' '),
    mitigation,
    config: fixes.slice(0, SHOWN).flatMap((x) => x.config),
  };
}

// The qdiscs of the group's loss members, biggest first, with their kind's counters over the
// same span (the run's delta, or since creation).
function qdiscCases(ctx: DiagnosisContext, g: Group): { cases: QdiscCase[]; total: number } {
  const { byPlace, parents, deltas } = indexOf(ctx);
  const found: Array<{ o: Observation; q: Qdisc; key: string }> = [];
  for (const o of g.members) {
    if (o.area !== 'qdisc' || o.qdisc === undefined) continue;
    const key = placeKey({ ...o.qdisc, ...(o.iface === undefined ? {} : { dev: o.iface }) });
    const q = byPlace.get(key);
    if (q) found.push({ o, q, key });
  }
  found.sort((a, b) => (a.o.delta === b.o.delta ? 0 : a.o.delta < b.o.delta ? 1 : -1));
  const cases = found.slice(0, MAX_FIXES).map(({ o, q, key }): QdiscCase => {
    const stats = o.sinceBoot ? kindStats(q) : flat(deltas.get(key)?.stats.deltas);
    const shaper = shaperAbove(q, parents);
    return {
      q,
      drops: o.delta,
      own: o.rule.match === 'own drops',
      ...(Object.keys(stats).length ? { stats } : {}),
      ...(shaper ? { shapedBy: shaper } : {}),
    };
  });
  return { cases, total: found.length };
}

// Built once per host, whatever the number of devices that dropped.
const INDEX = new WeakMap<DiagnosisContext['after'], ReturnType<typeof buildIndex>>();

function indexOf(ctx: DiagnosisContext): ReturnType<typeof buildIndex> {
  const cached = INDEX.get(ctx.after);
  if (cached && cached.delta === ctx.delta) return cached;
  const built = buildIndex(ctx);
  INDEX.set(ctx.after, built);
  return built;
}

function buildIndex(ctx: DiagnosisContext) {
  const all = ctx.after.qdiscs ?? [];
  return {
    delta: ctx.delta,
    byPlace: new Map(all.map((q) => [placeKey(q), q])),
    parents: parentsOf(all),
    deltas: new Map((ctx.delta?.qdiscs ?? []).map((d) => [placeKey(d), d])),
  };
}

// Shapers hold packets back to a rate (tbf; htb, hfsc and cake per class or per tin).
const SHAPERS = new Set(['tbf', 'htb', 'hfsc', 'cake', 'cbq']);

function shaperAbove(q: Qdisc, parents: Map<Qdisc, Qdisc>): Qdisc | undefined {
  const seen = new Set<Qdisc>();
  for (let p = parents.get(q); p && !seen.has(p); p = parents.get(p)) {
    if (SHAPERS.has(p.kind)) return p;
    seen.add(p);
  }
  return undefined;
}

function flat(deltas: Record<string, { delta: bigint }> | undefined): Record<string, bigint> {
  return Object.fromEntries(Object.entries(deltas ?? {}).map(([k, d]) => [k, d.delta]));
}

function merged(fixes: readonly QdiscFix[]): Mitigation {
  const uniq = (xs: readonly string[]) => [...new Set(xs)];
  const summaries = uniq(fixes.map((x) => x.summary));
  const more = summaries.length > SHOWN ? ` The other ${summaries.length - SHOWN} likewise.` : '';
  const persistent = uniq(fixes.flatMap((x) => x.persistent));
  return {
    summary: summaries.slice(0, SHOWN).join(' ') + more,
    commands: uniq([...fixes.flatMap((x) => x.prelude), ...fixes.flatMap((x) => x.commands)]),
    checks: uniq(fixes.flatMap((x) => x.checks)),
    persistent,
    ...(persistent.length ? { persistentPath: UDEV_FILE } : {}),
    caveats: uniq(fixes.flatMap((x) => x.caveats)),
  };
}

// Only the trace saw these (QDISC_DROP and friends): tc's counters were not collected or did
// not move, so the device and the qdisc are unknown.
function traceAdvice(ctx: DiagnosisContext, g: Group, f: GroupFacts): ReturnType<AdviceFor> {
  return {
    title: `${packets(f.packets)} dropped by the qdisc`,
    explanation: `The queueing discipline on ${ctx.host} refused at least ${packets(f.packets)} on transmit ${when(ctx, f)}: ${topCounters(g.members)}. The sender was faster than the interface could drain.`,
    mitigation: {
      summary:
        'Find the interface whose qdisc drops (tc -s qdisc show), then raise its limit (e.g. tc qdisc replace dev <if> root fq limit 20000) or its txqueuelen (ip link set dev <if> txqueuelen 10000), or pace the sender.',
      commands: [],
      checks: ['tc -s qdisc show'],
      persistent: [],
    },
    config: [],
  };
}
