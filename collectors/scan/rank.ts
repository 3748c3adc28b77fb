import { byText } from '../../kit/compare.js';
import { thousands } from '../../kit/thousands.js';
import { CLASS_ORDER } from '../diagnosis/classes.js';
import type { DropClass, Finding } from '../diagnosis/engine.js';
import { diagnose, findingFix, findingLine } from '../diagnosis/engine.js';
import type { NodeScan } from './scan-node.js';

// The fleet ranked by drop rate: each node's findings over its interval,
// packets per second per class, most first. Pure.

export interface ClassRate {
  class: DropClass;
  packets: bigint;
  perSec: number;
}

export interface RankedNode {
  name: string;
  spec: string;
  status: 'scanned' | 'failed';
  /** 1 for the node that drops most; absent for failed nodes. */
  rank?: number;
  elapsedS?: number;
  /** Most first; only classes that moved. */
  rates: ClassRate[];
  dropsPerSec: number;
  top?: { class: DropClass; severity: string; line: string; fix: string };
  findings: Finding[];
  /** Hosts on one kernel (the same boot_id) share softnet_stat: see sharedKernel(). */
  sharesKernelWith?: number;
  error?: NodeScan['error'];
}

export interface Suggestion {
  worst: string;
  peer: string;
  command: string[];
}

export interface Ranking {
  nodes: RankedNode[];
  /** The classes any node dropped in, in report order: the table's columns. */
  classes: DropClass[];
  suggestion?: Suggestion;
}

// SQUEEZE counts events (the NAPI budget ran out), not lost packets.
const DROPS = (c: DropClass) => c !== 'SQUEEZE';
const TX_SIDE = new Set<DropClass>(['TXQ', 'QDISC']);

// The packets a finding lost on the host's own interfaces, apart from the
// kernel-wide softnet counters.
function ownPackets(f: Finding): bigint {
  return f.evidence
    .filter(
      (e) => e.source === 'counter' && !e.name.startsWith('softnet') && typeof e.delta === 'bigint',
    )
    .reduce((a, e) => a + (e.delta as bigint), 0n);
}

// Nodes that share a kernel (containers on one host, the lab) all see its
// softnet_stat: a backlog drop there is every one's. Each one's share is what
// its own interfaces counted (the receiving device's rx_dropped); a node with
// none of it did not drop. Its line says both counts.
function sharedKernel(node: { findings: Finding[] }): Finding[] {
  return node.findings.flatMap((f) => {
    if (f.class !== 'BACKLOG' && f.class !== 'SQUEEZE') return [f];
    const own = ownPackets(f);
    if (own === 0n) return [];
    return [
      {
        ...f,
        packets: own,
        title: `${f.title}; ${thousands(own)} of them at this node's own interfaces`,
      },
    ];
  });
}

function rates(findings: Finding[], seconds: number): ClassRate[] {
  const byClass = new Map<DropClass, bigint>();
  for (const f of findings) {
    if (f.sinceBoot || !DROPS(f.class)) continue;
    byClass.set(f.class, (byClass.get(f.class) ?? 0n) + f.packets);
  }
  return [...byClass]
    .filter(([, p]) => p > 0n)
    .map(([c, packets]) => ({ class: c, packets, perSec: Number(packets) / seconds }))
    .sort(
      (a, b) => b.perSec - a.perSec || CLASS_ORDER.indexOf(a.class) - CLASS_ORDER.indexOf(b.class),
    );
}

export function rankNodes(scans: readonly NodeScan[]): Ranking {
  const boots = new Map<string, number>();
  for (const s of scans) {
    const b = s.after?.snapshot.facts.bootId;
    if (b) boots.set(b, (boots.get(b) ?? 0) + 1);
  }
  const nodes: RankedNode[] = scans.map((s) => {
    if (!s.before || !s.after || s.error) {
      return {
        name: s.name,
        spec: s.spec,
        status: 'failed',
        rates: [],
        dropsPerSec: 0,
        findings: [],
        ...(s.error ? { error: s.error } : {}),
      };
    }
    const seconds = Math.max(0.001, (s.elapsedMs ?? 0) / 1000);
    const all = diagnose({
      before: { ...s.before.snapshot, host: s.name },
      after: { ...s.after.snapshot, host: s.name },
    });
    const peers = (boots.get(s.after.snapshot.facts.bootId ?? '') ?? 1) - 1;
    const findings = peers > 0 ? sharedKernel({ findings: all }) : all;
    const r = rates(findings, seconds);
    const topFinding = findings.find((f) => !f.sinceBoot && DROPS(f.class) && f.packets > 0n);
    return {
      name: s.name,
      spec: s.spec,
      status: 'scanned',
      elapsedS: seconds,
      rates: r,
      dropsPerSec: r.reduce((a, x) => a + x.perSec, 0),
      findings,
      ...(peers > 0 ? { sharesKernelWith: peers } : {}),
      ...(topFinding
        ? {
            top: {
              class: topFinding.class,
              severity: topFinding.severity,
              line: findingLine(topFinding),
              fix: findingFix(topFinding),
            },
          }
        : {}),
    };
  });
  // Most drops first; then the healthy ones; the failed ones last; by name within each.
  const order = (n: RankedNode) => (n.status === 'failed' ? 2 : n.dropsPerSec > 0 ? 0 : 1);
  nodes.sort(
    (a, b) => order(a) - order(b) || b.dropsPerSec - a.dropsPerSec || byText(a.name, b.name),
  );
  let rank = 0;
  for (const n of nodes) if (n.status === 'scanned') n.rank = ++rank;
  const classes = CLASS_ORDER.filter((c) => nodes.some((n) => n.rates.some((r) => r.class === c)));
  const suggestion = suggest(nodes);
  return { nodes, classes, ...(suggestion ? { suggestion } : {}) };
}

// The worst node and the quietest one, for a reproduction between them: the
// worst one receives, unless it drops on transmit. The quietest is the node
// with the fewest drops per second (the first in list order among equals),
// when that is at most a tenth of the worst one's: a busy fleet rarely has a
// node at exactly zero. A peer in one of the worst one's groups would be
// likelier to share its network; the list does not say.
const QUIET = 0.1;

function suggest(nodes: RankedNode[]): Suggestion | undefined {
  const worst = nodes.find((n) => n.dropsPerSec > 0);
  if (!worst) return undefined;
  let peer: RankedNode | undefined;
  for (const n of nodes)
    if (n.status === 'scanned' && n !== worst && (!peer || n.dropsPerSec < peer.dropsPerSec))
      peer = n;
  if (!peer || peer.dropsPerSec > worst.dropsPerSec * QUIET) return undefined;
  const txSide = worst.rates[0] && TX_SIDE.has(worst.rates[0].class);
  const pair = txSide ? [worst.name, peer.name] : [peer.name, worst.name];
  return { worst: worst.name, peer: peer.name, command: ['repro', 'run', '--pair', ...pair] };
}

// A rate as the table and the summary print it: one decimal below 10.
export function perSec(v: number): string {
  if (v === 0) return '0';
  if (v < 10) return v.toFixed(1);
  return thousands(Math.round(v));
}
