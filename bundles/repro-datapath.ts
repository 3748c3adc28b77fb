import { anPairOf, sharePercent, vfRxShare } from '../collectors/diagnosis/azure.js';
import type { DiagnosisInput } from '../collectors/diagnosis/engine.js';
import type { KernelLogLine } from '../collectors/kernel-log.js';
import { pciNicOf } from '../collectors/lspci.js';
import type { Snapshot } from '../collectors/model.js';
import { csvLine } from '../kit/csv.js';
import { isoTime } from '../kit/iso-time.js';
import { thousands } from '../kit/thousands.js';
import { type HostRun, type RunRecord, samplesOf } from '../repro/run/run.js';
import { hostClock, type Series } from '../repro/run/series.js';
import type { BundleEntry } from './entries.js';
import type { PairOf } from './loss-accounting.js';
import { labelOf } from './repro-label.js';

// The Azure datapath of a reproduction, stated rather than left to the reader: which VF the
// data interface is paired with (accelerated networking), how much of the traffic took it,
// whether the sampler read it, what the kernel log said about it around the run, and how
// much CPU time the hypervisor stole. summary.json's `repro.datapath` and `repro.cpuTime`,
// their summary.md section, and repro/kernel-log.csv. Pure.

// Kernel log lines this long before the "before" snapshot still count as "around the run": a
// VF removed a minute before the traffic explains a run on the synthetic path.
export const EVENT_MARGIN_MS = 60_000;

export interface DatapathEvent {
  // The operator's clock (the series' axis); null for a line with no time.
  tMs: number | null;
  time: string | null;
  kind: KernelLogLine['kind'];
  iface: string | null;
  vf: string | null;
  line: string;
}

export interface HostDatapath {
  host: string;
  role: HostRun['role'];
  dataInterface: string | null;
  // The data interface's accelerated-networking VF, from the "after" snapshot (else "before").
  vf: {
    iface: string;
    driver: string | null;
    // lspci's model and ids of the VF's PCI device, by ethtool -i's bus-info.
    pci: string | null;
  } | null;
  // The VF of the "before" snapshot, when it is not the same: Azure removed it (or renamed it)
  // during the run.
  vfBefore?: string | null;
  // hv_netvsc vf_rx_packets over the interface's rx_packets, between the two snapshots.
  vfRxShare: {
    vfRxPackets: bigint;
    rxPackets: bigint;
    share: number | null;
    reset: boolean;
  } | null;
  // How many samples carried the VF's ethtool -S (the sampler's slow rate).
  vfSamples: number;
  // Kernel log lines about the datapath from a minute before the run to its end; null when the
  // kernel log was not collected (the source's reason is under "Not collected").
  events: DatapathEvent[] | null;
}

export interface CpuTime {
  host: string;
  role: HostRun['role'];
  // The sampled span the shares are over, seconds.
  spanSec: number;
  // Per CPU: the share of that span spent in softirq, and stolen by the hypervisor (%).
  cpus: Array<{ cpu: number; softirqPercent: number; stealPercent: number }>;
}

const opsMs = (h: HostRun, hostMs: number) => hostMs - hostClock(h).offsetMs;

// Whether a host's interface is one half of an accelerated-networking pair, by its "after"
// snapshot: what the loss accounting names a VF by.
export function pairOfInputs(inputs: readonly DiagnosisInput[]): PairOf {
  return (host, iface) => {
    const after = inputs.find((i) => i.after.host === host)?.after;
    return after ? anPairOf(after, iface) : undefined;
  };
}

function vfOf(s: Snapshot | undefined, dataIface: string | undefined) {
  const an = s && dataIface ? anPairOf(s, dataIface) : undefined;
  return an?.role === 'synthetic' ? an : undefined;
}

// Kernel log lines placed on the operator's axis through the host's measured offset.
function placed(h: HostRun, lines: readonly KernelLogLine[]): DatapathEvent[] {
  return lines.map((l) => {
    const host = l.time ? Date.parse(l.time) : Number.NaN;
    const t = Number.isNaN(host) ? null : opsMs(h, host);
    return {
      tMs: t,
      time: t === null ? null : isoTime(t) || null,
      kind: l.kind,
      iface: l.iface ?? null,
      vf: l.vf ?? null,
      line: l.line,
    };
  });
}

function runWindow(h: HostRun, rec: RunRecord): { from: number; to: number } {
  const from = Date.parse(h.before?.snapshot.takenAt ?? rec.startedAt) - EVENT_MARGIN_MS;
  const after = h.after?.snapshot;
  // Without an "after" snapshot, the run's end; a run that never ended bounds nothing.
  const to = after
    ? Date.parse(after.takenAt) + after.durationMs
    : rec.endedAt
      ? Date.parse(rec.endedAt)
      : Number.POSITIVE_INFINITY;
  return { from, to };
}

export function hostDatapath(
  rec: RunRecord,
  h: HostRun,
  input: DiagnosisInput | undefined,
): HostDatapath {
  const after = h.after?.snapshot;
  const before = h.before?.snapshot;
  const last = after ?? before;
  const an = vfOf(last, h.dataIface);
  const vfIface = an ? last!.interfaces.find((i) => i.name === an.vf) : undefined;
  const pci = pciNicOf(last?.pciNics, vfIface?.busInfo);
  const anBefore = after && before ? vfOf(before, h.dataIface) : an;
  const share = an ? vfRxShare(input?.delta, an.synthetic) : undefined;
  const window = runWindow(h, rec);
  const log = last?.kernelLog;
  return {
    host: labelOf(h),
    role: h.role,
    dataInterface: h.dataIface ?? null,
    vf: an
      ? {
          iface: an.vf,
          driver: an.vfDriver ?? null,
          pci: pci ? `${pci.device}${pci.ids ? ` [${pci.ids}]` : ''}` : null,
        }
      : null,
    ...(anBefore?.vf !== an?.vf ? { vfBefore: anBefore?.vf ?? null } : {}),
    vfRxShare: share ?? null,
    vfSamples: an
      ? samplesOf(h).filter((s) => s.ethtool?.some((e) => e.iface === an.vf)).length
      : 0,
    events: log
      ? placed(h, log.lines).filter(
          (e) => e.tMs !== null && e.tMs >= window.from && e.tMs <= window.to,
        )
      : null,
  };
}

export function reproDatapath(rec: RunRecord, inputs: readonly DiagnosisInput[]): HostDatapath[] {
  return rec.hosts.map((h) =>
    hostDatapath(
      rec,
      h,
      inputs.find((i) => i.after.host === labelOf(h)),
    ),
  );
}

// softirq and steal time per CPU over the sampled span, from the `cpu.cpuN.*` series (USER_HZ
// ticks: 100 a second, so ticks per second are percent of one CPU).
export function cpuTime(rec: RunRecord, series: readonly Series[]): CpuTime[] {
  return rec.hosts.flatMap((h) => {
    const host = labelOf(h);
    const cpus = new Map<number, { softirqPercent: number; stealPercent: number }>();
    let spanSec = 0;
    for (const s of series) {
      const m = s.host === host ? /^cpu\.cpu(\d+)\.(softirq|steal)$/.exec(s.key) : null;
      const first = s.points[0];
      const lastPoint = s.points.at(-1);
      if (!m || !first || !lastPoint || lastPoint[0] <= first[0]) continue;
      const sec = (lastPoint[0] - first[0]) / 1000;
      spanSec = Math.max(spanSec, sec);
      // A counter that went backwards (a CPU hot-plugged?) says nothing.
      const ticks = lastPoint[1] >= first[1] ? Number(lastPoint[1] - first[1]) : 0;
      const cpu = Number(m[1]);
      const row = cpus.get(cpu) ?? { softirqPercent: 0, stealPercent: 0 };
      row[m[2] === 'steal' ? 'stealPercent' : 'softirqPercent'] =
        Math.round((ticks / sec) * 10) / 10;
      cpus.set(cpu, row);
    }
    if (!cpus.size) return [];
    return [
      {
        host,
        role: h.role,
        spanSec: Math.round(spanSec * 10) / 10,
        cpus: [...cpus.entries()].sort((a, b) => a[0] - b[0]).map(([cpu, r]) => ({ cpu, ...r })),
      },
    ];
  });
}

// repro/kernel-log.csv: every datapath line of each host's last snapshot, on the series' axis;
// `in_run` marks those from a minute before the run to its end.
export function kernelLogFiles(rec: RunRecord): BundleEntry[] {
  const rows = ['t_ms,time,host,role,uptime_s,kind,iface,vf,in_run,line'];
  for (const h of rec.hosts) {
    const log = (h.after ?? h.before)?.snapshot.kernelLog;
    if (!log) continue;
    const w = runWindow(h, rec);
    placed(h, log.lines).forEach((e, i) => {
      const inRun = e.tMs !== null && e.tMs >= w.from && e.tMs <= w.to;
      rows.push(
        csvLine([
          e.tMs === null ? '' : e.tMs.toFixed(3),
          e.time ?? '',
          labelOf(h),
          h.role,
          log.lines[i]!.uptimeSec ?? '',
          e.kind,
          e.iface ?? '',
          e.vf ?? '',
          inRun ? 1 : 0,
          e.line,
        ]),
      );
    });
  }
  return rows.length > 1
    ? [{ path: 'repro/kernel-log.csv', bytes: Buffer.from(`${rows.join('\n')}\n`) }]
    : [];
}

// A kernel log line in a code span: the host wrote it, so a backquote cannot end the span and
// a control character (an escape sequence for a terminal that shows summary.md) is not kept.
function shown(line: string): string {
  return line.replaceAll('`', "'").replace(/\p{Cc}/gu, '?');
}

// At most this many kernel log lines per host in summary.md; the rest are in the CSV.
const SHOWN_EVENTS = 10;

// summary.md's section: only when a host has a VF, or the kernel log spoke of the datapath
// during the run, or the hypervisor stole time.
export function datapathSection(dps: readonly HostDatapath[], cpu: readonly CpuTime[]): string[] {
  const stolen = cpu.some((c) => c.cpus.some((x) => x.stealPercent >= 1));
  const azure = dps.some((d) => d.vf || d.vfBefore || d.events?.length);
  if (!azure && !stolen) return [];
  const out = [
    '',
    azure ? '## Datapath (Azure accelerated networking) and CPU time' : '## CPU time',
    '',
  ];
  for (const d of azure ? dps : []) {
    const who = `${d.host} (${d.role})`;
    const di = d.dataInterface ?? 'the data interface';
    if (!d.vf) {
      out.push(
        `- ${who}: ${di} has no accelerated-networking VF${d.vfBefore ? ` after the run (before it: ${d.vfBefore}, since removed)` : ''}.`,
      );
    } else {
      const what = shown([d.vf.driver, d.vf.pci].filter(Boolean).join('; '));
      const share = d.vfRxShare
        ? ` It carried ${sharePercent(d.vfRxShare)} of the packets ${di} received during the run (vf_rx_packets ${thousands(d.vfRxShare.vfRxPackets)} of rx_packets ${thousands(d.vfRxShare.rxPackets)}${d.vfRxShare.reset ? '; a counter was reset' : ''}).`
        : ' Its share of the traffic is unknown (no hv_netvsc vf_rx_packets, or no snapshot before the run).';
      const before =
        d.vfBefore !== undefined
          ? ` Before the run the VF was ${d.vfBefore ?? 'absent'}: it changed during the run.`
          : '';
      out.push(
        `- ${who}: ${di} is paired with the VF ${d.vf.iface}${what ? ` (${what})` : ''}.${share} The sampler read its ethtool -S ${d.vfSamples} time(s) (series \`ethtool.${d.vf.iface}.*\`).${before}`,
      );
    }
    // Without a VF, a kernel log that could not be read leaves nothing unexplained.
    if (d.events === null) {
      if (d.vf || d.vfBefore) out.push('  Kernel log: not collected (see "Not collected").');
    } else if (d.events.length) {
      out.push(`  Kernel log around the run (${d.events.length} line(s), UTC):`);
      for (const e of d.events.slice(-SHOWN_EVENTS))
        out.push(`  - \`${e.time ?? '?'}\` ${e.kind}: \`${shown(e.line)}\``);
      if (d.events.length > SHOWN_EVENTS)
        out.push(`  - … ${d.events.length - SHOWN_EVENTS} earlier, in repro/kernel-log.csv`);
    }
  }
  for (const c of cpu) {
    const top = [...c.cpus]
      .sort((a, b) => b.stealPercent - a.stealPercent || b.softirqPercent - a.softirqPercent)
      .slice(0, 8)
      .sort((a, b) => a.cpu - b.cpu)
      .map((x) => `cpu${x.cpu} steal ${x.stealPercent}% softirq ${x.softirqPercent}%`);
    out.push(
      `- ${c.host} (${c.role}) CPU time over the sampled ${c.spanSec} s: ${top.join(', ')}.`,
    );
  }
  return out;
}
