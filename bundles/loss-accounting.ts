import type { AnPair } from '../collectors/diagnosis/azure.js';
import type { DropClass, Finding } from '../collectors/diagnosis/engine.js';
import { thousands } from '../kit/thousands.js';
import type { PhaseResult } from './repro-results.js';

// The one decision a vendor makes first: was the loss inside the guest, or
// outside it (wire, host, platform)? The test's loss (the datagrams iperf3
// counted lost) is set against the drops the guest counted during the run
// (the diagnosis's findings: counters and the drop trace, one loss one
// finding): what no guest counter explains was lost outside. Pure.

export type AccountingVerdict =
  // Nothing lost, nothing dropped.
  | 'no-loss'
  // The guest's counters explain the loss, within the tolerance.
  | 'guest'
  // Loss no guest counter shows: outside the guest.
  | 'outside'
  // The counters show more than the test lost: other traffic dropped too.
  | 'more-counted'
  // TCP (retransmits are not lost packets), mixed protocols, or no run delta.
  | 'not-comparable';

export interface AccountingPart {
  class: DropClass;
  stage: string;
  host: string;
  where?: string;
  // The interface is an accelerated-networking VF (Azure): the drops were counted on the VF
  // the traffic took, not on the synthetic interface paired with it.
  vf?: { iface: string; synthetic: string; driver?: string };
  packets: bigint;
}

// Whether a host's interface is one half of an accelerated-networking pair (azure.ts anPairOf).
export type PairOf = (host: string, iface: string) => AnPair | undefined;

export interface LossAccounting {
  protocol: 'udp' | 'tcp' | 'mixed' | 'none';
  // UDP: datagrams iperf3's receivers counted lost (sequence gaps), all
  // phases and directions. TCP: null (see retransmits).
  lost: number | null;
  retransmits: number | null;
  parts: AccountingPart[];
  counted: bigint;
  // lost - counted; negative when the counters show more.
  unexplained: number | null;
  // How far counted may be from lost and still be "all of it": iperf3 counts
  // late (reordered) datagrams as lost, and a counter moves with other traffic.
  tolerance: number | null;
  verdict: AccountingVerdict;
  // The traffic's UTC window, for an escalation.
  window: { from: string; to: string } | null;
  // The summary's two lines: the sum, then the verdict.
  line: string;
  verdictLine: string;
}

// Where each class drops, in the words of the accounting line. SQUEEZE counts
// polls cut short, not packets: it is never part of the sum.
const STAGE: Partial<Record<DropClass, string>> = {
  RING: 'NIC/ring',
  CLOUD: 'provider allowance',
  BACKLOG: 'backlog',
  SOCKET: 'socket',
  QDISC: 'qdisc',
  TXQ: 'TX queue',
  OTHER: 'other',
};
// Always shown, zero or not, so a reader sees where nothing was dropped.
const ALWAYS: readonly DropClass[] = ['RING', 'BACKLOG', 'SOCKET', 'QDISC'];
const ORDER: readonly DropClass[] = ['RING', 'CLOUD', 'BACKLOG', 'SOCKET', 'QDISC', 'TXQ', 'OTHER'];

export function tolerance(lost: number): number {
  return Math.max(10, Math.ceil(lost / 100));
}

export function lossAccounting(
  phases: readonly PhaseResult[],
  findings: readonly Finding[],
  window: { from: string; to: string } | undefined,
  pairOf: PairOf = () => undefined,
): LossAccounting {
  const directions = phases.flatMap((p) =>
    (p.result?.directions ?? []).map((d) => ({ protocol: p.result?.protocol, d })),
  );
  const protocols = new Set(directions.map((x) => x.protocol));
  const protocol: LossAccounting['protocol'] =
    protocols.size === 0
      ? 'none'
      : protocols.size > 1
        ? 'mixed'
        : protocols.has('udp')
          ? 'udp'
          : protocols.has('tcp')
            ? 'tcp'
            : 'mixed';
  const udp = directions.filter((x) => x.d.udp);
  const lost = protocol === 'udp' ? udp.reduce((s, x) => s + (x.d.udp?.lostPackets ?? 0), 0) : null;
  const tcp = directions.filter((x) => x.d.retransmits !== undefined);
  const retransmits = tcp.length ? tcp.reduce((s, x) => s + (x.d.retransmits ?? 0), 0) : null;

  const runDelta = findings.every((f) => !f.sinceBoot);
  const parts: AccountingPart[] = findings
    .filter((f) => STAGE[f.class] !== undefined && !f.sinceBoot && f.packets > 0n)
    .map((f) => {
      const an = f.iface ? pairOf(f.host, f.iface) : undefined;
      const vf =
        an?.role === 'vf'
          ? {
              iface: an.vf,
              synthetic: an.synthetic,
              ...(an.vfDriver ? { driver: an.vfDriver } : {}),
            }
          : undefined;
      const where = vf ? `VF ${vf.iface} of ${vf.synthetic}` : whereOf(f);
      return {
        class: f.class,
        stage: STAGE[f.class]!,
        host: f.host,
        ...(where ? { where } : {}),
        ...(vf ? { vf } : {}),
        packets: f.packets,
      };
    });
  const counted = parts.reduce((s, p) => s + p.packets, 0n);
  const unexplained = lost === null || !runDelta ? null : lost - Number(counted);
  const tol = lost === null ? null : tolerance(lost);
  const verdict = verdictOf(protocol, lost, counted, unexplained, tol, runDelta);
  const a: Omit<LossAccounting, 'line' | 'verdictLine'> = {
    protocol,
    lost,
    retransmits,
    parts,
    counted,
    unexplained,
    tolerance: tol,
    verdict,
    window: window ?? null,
  };
  return { ...a, line: sumLine(a), verdictLine: verdictLine(a) };
}

function whereOf(f: Finding): string | undefined {
  const cpus = f.cpus?.length ? f.cpus.map((c) => `cpu${c}`).join(',') : undefined;
  return [f.iface, cpus].filter(Boolean).join(' ') || undefined;
}

function verdictOf(
  protocol: LossAccounting['protocol'],
  lost: number | null,
  counted: bigint,
  unexplained: number | null,
  tol: number | null,
  runDelta: boolean,
): AccountingVerdict {
  if (protocol !== 'udp' || lost === null || unexplained === null || tol === null || !runDelta)
    return 'not-comparable';
  if (lost === 0 && counted === 0n) return 'no-loss';
  if (unexplained > tol) return 'outside';
  if (unexplained < -tol) return 'more-counted';
  return 'guest';
}

function byStage(parts: readonly AccountingPart[]): Map<DropClass, bigint> {
  const m = new Map<DropClass, bigint>();
  for (const p of parts) m.set(p.class, (m.get(p.class) ?? 0n) + p.packets);
  return m;
}

function sumLine(a: Omit<LossAccounting, 'line' | 'verdictLine'>): string {
  const stages = byStage(a.parts);
  const terms = ORDER.filter((c) => ALWAYS.includes(c) || stages.has(c)).map((c) => {
    // A VF's drops name the VF in the sum: on Azure that is where the vendor looks.
    const vfs = [...new Set(a.parts.flatMap((p) => (p.class === c && p.vf ? [p.vf.iface] : [])))];
    const on = vfs.length ? ` (VF ${vfs.join(', ')})` : '';
    return `${STAGE[c]} ${thousands(stages.get(c) ?? 0n)}${on}`;
  });
  if (a.protocol === 'udp' && a.lost !== null && a.unexplained !== null) {
    const u = a.unexplained >= 0 ? thousands(a.unexplained) : `-${thousands(-a.unexplained)}`;
    return `Lost ${thousands(a.lost)} = ${[...terms, `unexplained ${u}`].join(' + ')} (UDP datagrams iperf3 counted lost; drops the guest counted during the run)`;
  }
  const counted = `Dropped in the guest during the run: ${thousands(a.counted)} = ${terms.join(' + ')}`;
  if (a.protocol === 'tcp')
    return `${counted}; TCP retransmitted ${thousands(a.retransmits ?? 0)} segments`;
  return counted;
}

function verdictLine(a: Omit<LossAccounting, 'line' | 'verdictLine'>): string {
  const window = a.window ? ` between ${a.window.from} and ${a.window.to}` : '';
  const top = [...a.parts].sort((x, y) => (y.packets > x.packets ? 1 : -1))[0];
  const main = top
    ? `${thousands(top.packets)} at the ${top.stage} on ${top.host}${top.where ? ` (${top.where})` : ''}`
    : '';
  const cloud = a.parts.some((p) => p.class === 'CLOUD')
    ? ' Drops at the provider allowance are the platform shaping this VM: they are for the vendor even though the guest counts them.'
    : '';
  switch (a.verdict) {
    case 'no-loss':
      return 'Verdict: no loss, and no drop counted in the guest.';
    case 'guest':
      return `Verdict: the loss is inside the guest, within ±${thousands(a.tolerance ?? 0)}: ${main}. Nothing is left for the wire, the host or the platform.${cloud}`;
    case 'outside': {
      const share = a.lost
        ? ` (${((100 * (a.unexplained ?? 0)) / a.lost).toFixed(1)}% of the loss)`
        : '';
      return `Verdict: ${thousands(a.unexplained ?? 0)} datagrams${share} were lost outside the guest (wire, host or platform)${window}${window ? ' (UTC)' : ''}: no guest counter shows them. Escalate with this window.${main ? ` The guest itself dropped ${thousands(a.counted)} (${main}).` : ''}${cloud}`;
    }
    case 'more-counted':
      return `Verdict: the guest counted ${thousands(-(a.unexplained ?? 0))} more drops than the test lost: other traffic on these hosts was dropped too (the counters are host-wide). All of the test's loss is inside the guest: ${main}.${cloud}`;
    default:
      return a.protocol === 'tcp'
        ? 'Verdict: not made for TCP: it resends what is lost, so retransmits are not a count of lost packets.'
        : a.protocol === 'mixed'
          ? 'Verdict: not made: the run mixes TCP and UDP phases, and the counters cover the whole run.'
          : a.protocol === 'none'
            ? 'Verdict: not made: no traffic result.'
            : 'Verdict: not made: without a snapshot before the run, the counters count since boot.';
  }
}
