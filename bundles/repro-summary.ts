import { parseIperf3Result } from '../repro/iperf3-result.js';
import type { RunRecord } from '../repro/run/run.js';
import type { Movement } from '../repro/run/series.js';
import { toSummaryFinding } from './findings-summary.js';
import { type LossAccounting, lossAccounting } from './loss-accounting.js';
import {
  type CpuTime,
  datapathSection,
  type HostDatapath,
  pairOfInputs,
  reproDatapath,
} from './repro-datapath.js';
import type { ReproDiagnosis } from './repro-diagnosis.js';
import { labelOf } from './repro-label.js';
import { movedSection, type PhaseResult, resultsSection } from './repro-results.js';
import { type RunCheck, runChecks } from './run-checks.js';
import { type HostSummary, hostSummary, type SharedNote, type Summary } from './summary.js';
import { renderSummaryMd } from './summary-md.js';

// summary.json and summary.md of a reproduction: the node summary's findings
// and hosts, plus the run (profile, roles, times, traffic results, what
// moved). Pure.

export interface ReproMeta {
  caseId?: string;
  note?: string;
  label?: string;
  createdAt: Date;
  command: string[];
  redacted: boolean;
  // --keep: categories left readable.
  kept?: readonly string[];
  shared?: SharedNote;
  // Where this run's snapshots are in the bundle, for summary.md's footer,
  // when not at the repro bundle's place: a compare bundle moves each run's
  // to hosts/<host>/<run>/.
  rawAt?: string;
}

export type ReproSummary = Summary & { repro: ReturnType<typeof runSummary> };

// Every phase that ran, with iperf3's result; the phase that was running
// when the run stopped early, with the error.
export function reproPhases(rec: RunRecord): PhaseResult[] {
  const phases: PhaseResult[] = rec.phases.map((p) => ({
    phase: p.phase,
    result: parseIperf3Result(p.clientJson, p.serverJson).value,
  }));
  const failedPhase = rec.profile.phases.slice(rec.phases.length)[0];
  if (failedPhase && rec.error) phases.push({ phase: failedPhase.name, error: rec.error.oneLine });
  return phases;
}

// When the traffic ran, first phase to last, in UTC.
export function trafficWindow(rec: RunRecord): { from: string; to: string } | undefined {
  const first = rec.phases[0];
  const last = rec.phases.at(-1);
  if (!first || !last) return undefined;
  return {
    from: new Date(first.startedAt).toISOString(),
    to: new Date(last.endedAt).toISOString(),
  };
}

// What the run says of itself before any finding: where the loss went, and
// whether the test did what its profile says.
export interface RunVerdicts {
  accounting: LossAccounting;
  checks: RunCheck[];
}

export function runVerdicts(
  rec: RunRecord,
  phases: readonly PhaseResult[],
  d: ReproDiagnosis,
  hosts: readonly HostSummary[],
): RunVerdicts {
  return {
    // A VF's drops are named as the VF's (Azure accelerated networking).
    accounting: lossAccounting(phases, d.findings, trafficWindow(rec), pairOfInputs(d.inputs)),
    checks: runChecks(phases, hosts, d.findings),
  };
}

// summary.md's opening of a run: the accounting's two lines, then the checks
// that found something (the ok ones are in summary.json).
export function verdictLines(v: RunVerdicts): string[] {
  const out = ['', '## Where the loss went', '', v.accounting.line, '', v.accounting.verdictLine];
  const shown = v.checks.filter((c) => c.level !== 'ok');
  const ok = v.checks.filter((c) => c.level === 'ok');
  out.push('', '## Checks on the run', '');
  if (!shown.length)
    out.push(
      ok.length ? `Nothing to flag: ${ok.map((c) => c.message).join(' ')}` : 'Nothing to flag.',
    );
  for (const c of shown) out.push(`- ${c.level === 'problem' ? '**Check:** ' : ''}${c.message}`);
  return out;
}

// summary.json's "repro" object.
function runSummary(
  rec: RunRecord,
  phases: PhaseResult[],
  moved: Movement[],
  verdicts: RunVerdicts,
  datapath: HostDatapath[],
  cpuTime: CpuTime[],
) {
  return {
    accounting: verdicts.accounting,
    checks: verdicts.checks,
    profile: rec.profile.name,
    sender: labelOf(rec.hosts[0]),
    receiver: labelOf(rec.hosts[1]),
    serverAddress: rec.serverAddress ?? null,
    port: rec.port ?? null,
    startedAt: rec.startedAt,
    endedAt: rec.endedAt ?? null,
    interrupted: rec.interrupted,
    error: rec.error?.oneLine ?? null,
    phases: phases.map((p) => ({
      phase: p.phase,
      error: p.error ?? p.result?.error ?? null,
      directions:
        p.result?.directions.map((d) => ({
          direction: d.direction,
          medianBitsPerSecond: d.medianBitsPerSecond ?? null,
          udp: d.udp ?? null,
          retransmits: d.retransmits ?? null,
        })) ?? [],
    })),
    moved: moved.map((m) => ({
      ...m,
      from: new Date(m.from).toISOString(),
      to: new Date(m.to).toISOString(),
    })),
    datapath,
    cpuTime,
  };
}

export function reproSummary(
  rec: RunRecord,
  meta: ReproMeta,
  d: ReproDiagnosis,
  run: {
    status: Summary['status'];
    phases: PhaseResult[];
    moved: Movement[];
    // softirq and steal per CPU, from the sampled /proc/stat (repro-datapath.ts).
    cpuTime?: CpuTime[];
  },
): ReproSummary {
  const hosts = rec.hosts.map((h) =>
    hostSummary(
      labelOf(h),
      h.after?.snapshot ?? h.before?.snapshot,
      h.failure ? `${h.failure.step}: ${h.failure.message}` : undefined,
    ),
  );
  const verdicts = runVerdicts(rec, run.phases, d, hosts);
  return {
    schema: 'dropkit.summary/1',
    kind: 'repro',
    caseId: meta.caseId ?? null,
    createdAt: meta.createdAt.toISOString(),
    ...(meta.note || meta.label
      ? { note: [meta.label, meta.note].filter(Boolean).join(' — ') }
      : {}),
    status: run.status,
    redacted: meta.redacted,
    ...(meta.kept?.length ? { kept: [...meta.kept] } : {}),
    ...(meta.shared ? { shared: meta.shared } : {}),
    findings: d.findings.map(toSummaryFinding),
    checked: d.checked,
    hosts,
    repro: runSummary(
      rec,
      run.phases,
      run.moved,
      verdicts,
      reproDatapath(rec, d.inputs),
      run.cpuTime ?? [],
    ),
  };
}

export function reproSummaryMd(
  rec: RunRecord,
  summary: ReproSummary,
  d: ReproDiagnosis,
  run: { phases: PhaseResult[]; moved: Movement[] },
  rawAt?: string,
): string {
  // The role only: the spec (an alias) would be a second, unrelated pseudonym
  // for the same host once redacted.
  const roles = new Map(rec.hosts.map((h) => [labelOf(h), h.role]));
  const [sender, receiver] = rec.hosts.map(labelOf);
  const topLine = [
    ...(d.sharedKernel
      ? [
          '',
          'Note: both hosts run on one kernel (same boot_id, e.g. the dropkit lab or containers): softnet_stat and net.core.* sysctls are machine-wide and are attributed to the host whose interfaces show the drops.',
        ]
      : []),
    '',
    `Reproduction: profile **${rec.profile.name}**, ${sender} (sender) → ${receiver} (receiver${rec.serverAddress ? ` at ${rec.serverAddress}` : ''}), ${rec.startedAt} → ${rec.endedAt ?? '?'}${rec.interrupted ? ', INTERRUPTED' : ''}${rec.error ? `. Stopped early: ${rec.error.oneLine}` : ''}`,
  ];
  return renderSummaryMd(
    summary,
    [
      ...topLine,
      ...resultsSection(run.phases),
      ...movedSection(run.moved, roles),
      ...datapathSection(summary.repro.datapath, summary.repro.cpuTime),
    ],
    [],
    verdictLines(summary.repro),
    rawAt,
  );
}
