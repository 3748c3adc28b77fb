import { checkedCounters, diagnoseAll } from '../collectors/diagnosis/findings.js';
import { toJson } from '../collectors/json.js';
import type { TakenSnapshot } from '../collectors/snapshot/take.js';
import { hostOfSpec } from '../kit/ssh/host-spec.js';
import { kernelHasReasons, type TraceStream, traceCsv, traceTotals } from '../repro/trace/parse.js';
import { toSummaryFinding } from './findings-summary.js';
import { SUMMARY_JSON, SUMMARY_MD } from './manifest.js';
import { hostSummary, type Summary } from './summary.js';
import { renderSummaryMd } from './summary-md.js';
import type { BundleHost } from './write-bundle.js';

// `collect bundle`: one snapshot per host, its findings "since boot", and the
// summary. Pure: the snapshots come in, bundle parts go out.

export interface NodeCapture {
  spec: string;
  user?: string;
  taken?: TakenSnapshot;
  error?: string;
  trace?: TraceStream;
}

function traceInput(c: NodeCapture) {
  const tr = c.trace;
  if (!c.taken || !tr || tr.unavailable || !tr.intervals.length) return {};
  const host = c.taken.snapshot.facts.hostname ?? hostOfSpec(c.spec);
  return {
    trace: {
      host,
      kernelHasReasons: kernelHasReasons(tr),
      capped: (tr.overruns ?? 0) > 0,
      entries: traceTotals(tr),
    },
  };
}

function traceFiles(label: string, tr: TraceStream | undefined) {
  if (!tr) return [];
  return [
    { path: 'trace/kfree_skb.csv', bytes: Buffer.from(traceCsv(label, tr)) },
    { path: 'trace/kfree_skb-format.txt', bytes: Buffer.from(`${tr.format.join('\n')}\n`) },
    {
      path: 'trace/meta.json',
      bytes: Buffer.from(
        `${toJson({ event: 'skb:kfree_skb', aggregation: 'on the host, by reason and drop location, per 1 s', bufferKbPerCpu: 1024, eventsLostToTheCap: tr.overruns ?? null, kernelHasReasons: kernelHasReasons(tr), unavailable: tr.unavailable ?? null, totals: traceTotals(tr) })}\n`,
      ),
    },
  ];
}

export function nodeBundleParts(
  captures: NodeCapture[],
  meta: { caseId?: string; note?: string; createdAt: Date; logs: string[]; redacted: boolean },
) {
  const hosts: BundleHost[] = captures.map((c) => {
    const label = c.taken?.snapshot.facts.hostname ?? hostOfSpec(c.spec);
    const failed = c.taken?.snapshot.sources.filter((s) => !s.ok).length ?? 0;
    return {
      label,
      spec: c.spec,
      ...(c.user ? { user: c.user } : {}),
      status: c.taken ? 'complete' : 'failed',
      ...(c.error ? { error: c.error } : {}),
      ...(failed ? { failedSources: failed } : {}),
      rawSets: c.taken ? [{ dir: '', raw: c.taken.raw }] : [],
      files: c.taken
        ? [
            {
              path: 'snapshot.json',
              bytes: Buffer.from(`${toJson({ ...c.taken.snapshot, host: label })}\n`),
            },
            ...traceFiles(label, c.trace),
          ]
        : [],
    };
  });
  // One list for all hosts: diagnoseAll keeps a machine-wide finding once
  // when hosts share a kernel.
  const findings = diagnoseAll(
    captures
      .filter((c) => c.taken)
      .map((c) => ({
        after: {
          ...c.taken!.snapshot,
          host: c.taken!.snapshot.facts.hostname ?? hostOfSpec(c.spec),
        },
        ...traceInput(c),
      })),
  );
  const checked = [
    ...new Set(
      captures.flatMap((c) => (c.taken ? checkedCounters({ after: c.taken.snapshot }) : [])),
    ),
  ];
  const summary: Summary = {
    schema: 'dropkit.summary/1',
    kind: 'node',
    caseId: meta.caseId ?? null,
    createdAt: meta.createdAt.toISOString(),
    ...(meta.note ? { note: meta.note } : {}),
    status: hosts.every((h) => h.status === 'complete') ? 'complete' : 'partial',
    redacted: meta.redacted,
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
