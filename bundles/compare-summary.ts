import { terminalField as field } from '../kit/terminal-text.js';
import type { CompareRecord } from '../repro/compare/record.js';
import type { CompareJson } from './compare-json.js';
import type { LaidRun } from './compare-layout.js';
import { restoreSection } from './compare-restore.js';
import type { CompareTable } from './compare-table.js';
import type { AccountingVerdict } from './loss-accounting.js';
import { mdTable } from './md-table.js';
import type { ReproMeta } from './repro-summary.js';
import type { Summary } from './summary.js';
import { renderSummaryMd } from './summary-md.js';

// summary.json and summary.md of a comparison: the table, the verdicts, what
// was changed and restored, the runs; then the findings and hosts of one run,
// as a repro bundle shows them. Pure.

export type CompareSummary = Summary & {
  // The run whose findings and hosts these are (runs/<dir>/), or null.
  findingsFrom: string | null;
  compare: CompareJson;
};

export interface SummaryRun extends LaidRun {
  variant: string;
}

// The findings shown are those of the baseline's first run: what is wrong
// before any mitigation. Each run's own summary has its own findings.
export function findingsRun(
  runs: readonly SummaryRun[],
  baseline: string | undefined,
): SummaryRun | undefined {
  return runs.find((r) => r.variant === baseline) ?? runs[0];
}

export function compareSummary(
  meta: ReproMeta,
  status: Summary['status'],
  shown: SummaryRun | undefined,
  compare: CompareJson,
): CompareSummary {
  const s = shown?.parts.summary;
  return {
    schema: 'dropkit.summary/1',
    kind: 'compare',
    caseId: meta.caseId ?? null,
    createdAt: meta.createdAt.toISOString(),
    ...(meta.note || meta.label
      ? { note: [meta.label, meta.note].filter(Boolean).join(' — ') }
      : {}),
    status,
    redacted: meta.redacted,
    ...(meta.kept?.length ? { kept: [...meta.kept] } : {}),
    ...(meta.shared ? { shared: meta.shared } : {}),
    findings: s?.findings ?? [],
    checked: s?.checked ?? [],
    hosts: s?.hosts ?? [],
    findingsFrom: shown ? `runs/${shown.dir}` : null,
    compare,
  };
}

function tableSection(t: CompareTable, cr: CompareRecord): string[] {
  const out = ['', '## Comparison', '', ...mdTable(t.header, t.rows)];
  if (!t.rows.length) out.push('No variant ran.');
  out.push(
    '',
    `Profile **${field(cr.profile.name)}**, ${cr.variants.length} variant(s), ${cr.repeats} run(s) each in ${cr.order} order, ${field(cr.startedAt)} → ${field(cr.endedAt ?? '?')}. Throughput is the receiver's, per second; drops are the diagnosis's, per class, during each run.`,
  );
  for (const n of t.notes) out.push('', n);
  if (cr.error || cr.interrupted)
    out.push(
      '',
      `The comparison stopped early${cr.interrupted ? ' (interrupted)' : ''}${cr.error ? `: ${field(cr.error.oneLine)}` : ''}. The table holds the runs that were made.`,
    );
  out.push('', '## Verdicts', '');
  out.push(
    ...(t.verdicts.length ? t.verdicts.map((v) => `- ${field(v)}`) : ['No variant to compare.']),
  );
  return out;
}

// The accounting of each run, one line each: whether a variant's remaining
// loss is still inside the guest is the question a mitigation answers.
const SHORT: Record<AccountingVerdict, string> = {
  'no-loss': 'no loss',
  guest: 'inside the guest',
  outside: 'partly outside the guest: escalate',
  'more-counted': 'inside the guest (the counters show more: other traffic)',
  'not-comparable': 'no verdict',
};

function accountingSection(cr: CompareRecord, runs: readonly SummaryRun[]): string[] {
  if (!runs.length) return [];
  const out = ['', '## Where the loss went, per run', ''];
  runs.forEach((r, i) => {
    const a = r.parts.summary.repro.accounting;
    out.push(
      `- ${field(r.variant)} #${cr.runs[i]!.repeat}: ${field(a.line)}: ${SHORT[a.verdict]}.`,
    );
  });
  return out;
}

function runsSection(cr: CompareRecord, runs: readonly SummaryRun[]): string[] {
  const out = ['', '## Runs', ''];
  if (!runs.length) return [...out, 'No run was made.'];
  runs.forEach((r, i) => {
    const rec = cr.runs[i]!.rec;
    const stop = rec.error ? `, stopped early: ${field(rec.error.oneLine)}` : '';
    out.push(
      `- [${r.dir}](runs/${r.dir}/summary.md): ${field(r.variant)}, repeat ${cr.runs[i]!.repeat}, ${r.parts.status}, ${field(rec.startedAt)} → ${field(rec.endedAt ?? '?')}${stop}`,
    );
  });
  return out;
}

export function compareSummaryMd(
  cr: CompareRecord,
  summary: CompareSummary,
  table: CompareTable,
  runs: readonly SummaryRun[],
): string {
  const from = summary.findingsFrom
    ? `The findings and host details below are those of \`${summary.findingsFrom}/\`; each run's own summary.md has its findings.`
    : 'No run was diagnosed: there are no findings.';
  const opening = [
    ...tableSection(table, cr),
    ...restoreSection(cr),
    ...accountingSection(cr, runs),
    ...runsSection(cr, runs),
    '',
    from,
  ];
  return renderSummaryMd(summary, [], [], opening);
}
