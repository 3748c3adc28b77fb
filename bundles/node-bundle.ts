import { checkedCounters, diagnoseAll } from '../collectors/diagnosis/engine.js';
import { toJson } from '../collectors/json.js';
import type { TakenSnapshot } from '../collectors/snapshot/take.js';
import type { TraceCapture } from '../collectors/trace/session.js';
import { hostOfSpec } from '../kit/ssh/host-spec.js';
import { type BundleHost, manifestSkipped } from './bundle-input.js';
import { toSummaryFinding } from './findings-summary.js';
import { SUMMARY_JSON, SUMMARY_MD } from './manifest.js';
import { hostSummary, hostsSummaryHead, type SharedNote, type Summary } from './summary.js';
import { renderSummaryMd } from './summary-md.js';
import { traceDiagnosis, traceFiles } from './trace-files.js';

// `collect bundle`: one snapshot per host, its findings "since boot", and the
// summary. Pure: the snapshots come in, bundle parts go out.

export interface NodeCapture {
  spec: string;
  user?: string;
  taken?: TakenSnapshot;
  error?: string;
  trace?: TraceCapture;
}

// The snapshot's own name for the host when it has one, else what was typed.
function labelOf(c: NodeCapture): string {
  return c.taken?.snapshot.facts.hostname ?? hostOfSpec(c.spec);
}

function nodeHost(c: NodeCapture): BundleHost {
  const label = labelOf(c);
  const failed = c.taken?.snapshot.sources.filter((s) => !s.ok).length ?? 0;
  return {
    label,
    spec: c.spec,
    ...(c.user ? { user: c.user } : {}),
    status: c.taken ? 'complete' : 'failed',
    ...(c.error ? { error: c.error } : {}),
    ...(failed ? { failedSources: failed } : {}),
    ...manifestSkipped(c.taken?.snapshot),
    rawSets: c.taken ? [{ dir: '', raw: c.taken.raw }] : [],
    files: c.taken
      ? [
          {
            path: 'snapshot.json',
            bytes: Buffer.from(`${toJson({ ...c.taken.snapshot, host: label })}\n`),
          },
          ...(c.trace ? traceFiles('trace/', label, c.trace) : []),
        ]
      : [],
  };
}

export function nodeBundleParts(
  captures: NodeCapture[],
  meta: {
    caseId?: string;
    note?: string;
    createdAt: Date;
    logs: string[];
    redacted: boolean;
    // --keep: categories left readable.
    kept?: readonly string[];
    shared?: SharedNote;
  },
) {
  const hosts = captures.map(nodeHost);
  const taken = captures.filter((c): c is NodeCapture & { taken: TakenSnapshot } => !!c.taken);
  // One list for all hosts: diagnoseAll keeps a machine-wide finding once
  // when hosts share a kernel.
  const findings = diagnoseAll(
    taken.map((c) => ({
      after: { ...c.taken.snapshot, host: labelOf(c) },
      ...traceDiagnosis(labelOf(c), c.trace),
    })),
  );
  const checked = [...new Set(taken.flatMap((c) => checkedCounters({ after: c.taken.snapshot })))];
  const summary: Summary = {
    ...hostsSummaryHead('node', hosts, meta),
    ...(meta.shared ? { shared: meta.shared } : {}),
    findings: findings.map(toSummaryFinding),
    checked,
    hosts: captures.map((c, i) => hostSummary(hosts[i]!.label, c.taken?.snapshot, c.error)),
  };
  const files = [
    { path: SUMMARY_MD, bytes: Buffer.from(renderSummaryMd(summary)) },
    { path: SUMMARY_JSON, bytes: Buffer.from(`${toJson(summary)}\n`) },
    { path: 'logs/collect.log', bytes: Buffer.from(`${meta.logs.join('\n')}\n`) },
  ];
  return { hosts, files, summary };
}
