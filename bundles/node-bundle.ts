import { checkedCounters, diagnose } from '../collectors/diagnosis/findings.js';
import { toJson } from '../collectors/json.js';
import type { TakenSnapshot } from '../collectors/snapshot/take.js';
import { toSummaryFinding } from './findings-summary.js';
import { SUMMARY_JSON, SUMMARY_MD } from './manifest.js';
import { dedupeSharedKernel, findingSeverityOrder } from './order.js';
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
}

function specHost(spec: string): string {
  return spec
    .replace(/^[^@]*@/, '')
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '');
}

export function nodeBundleParts(
  captures: NodeCapture[],
  meta: { caseId?: string; note?: string; createdAt: Date; logs: string[] },
) {
  const hosts: BundleHost[] = captures.map((c) => {
    const label = c.taken?.snapshot.facts.hostname ?? specHost(c.spec);
    const failed = c.taken?.snapshot.sources.filter((s) => !s.ok).length ?? 0;
    return {
      label,
      specHost: specHost(c.spec),
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
          ]
        : [],
    };
  });
  const findings = captures
    .flatMap((c) =>
      c.taken
        ? diagnose({
            after: {
              ...c.taken.snapshot,
              host: c.taken.snapshot.facts.hostname ?? specHost(c.spec),
            },
          })
        : [],
    )
    .sort(findingSeverityOrder);
  const boots = new Map(
    captures
      .filter((c) => c.taken)
      .map((c) => [
        c.taken!.snapshot.facts.hostname ?? specHost(c.spec),
        c.taken!.snapshot.facts.bootId,
      ]),
  );
  const deduped = dedupeSharedKernel(findings, (h) => boots.get(h));
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
    findings: deduped.map(toSummaryFinding),
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
