import { deltaView } from '../collectors/analyze-json.js';
import { checkedCounters } from '../collectors/diagnosis/engine.js';
import { toJson } from '../collectors/json.js';
import type { Ranking } from '../collectors/scan/rank.js';
import { type ScanMeta, scanJson } from '../collectors/scan/scan-json.js';
import type { NodeScan } from '../collectors/scan/scan-node.js';
import { snapshotDelta } from '../collectors/snapshot-delta.js';
import { type BundleHost, manifestSkipped } from './bundle-input.js';
import { type BundleEntry, jsonEntry } from './entries.js';
import { toSummaryFinding } from './findings-summary.js';
import { SUMMARY_JSON, SUMMARY_MD } from './manifest.js';
import { scanMdLines } from './scan-md.js';
import { hostSummary, hostsSummaryHead, type Summary } from './summary.js';
import { renderSummaryMd } from './summary-md.js';
import type { BundleParts } from './write-parts.js';

// `collect scan --bundle`: one fleet bundle. Each node's two light
// snapshots (raw outputs and snapshot.json, before/ and after/) and their
// delta, the ranking (scan.json, and first in summary.md), and the findings
// of every node. Redacted in one pass with one case key, so a node's token
// is the same in every file. Pure.

export const SCAN_JSON = 'scan.json';

function labelOf(s: NodeScan): string {
  return s.after?.snapshot.facts.hostname ?? s.before?.snapshot.facts.hostname ?? s.name;
}

function scanHost(s: NodeScan): BundleHost {
  const label = labelOf(s);
  const files: BundleEntry[] = [];
  if (s.before)
    files.push(jsonEntry('before/snapshot.json', { ...s.before.snapshot, host: label }));
  if (s.after) files.push(jsonEntry('after/snapshot.json', { ...s.after.snapshot, host: label }));
  if (s.before && s.after)
    files.push(
      jsonEntry('delta.json', deltaView(snapshotDelta(s.before.snapshot, s.after.snapshot))),
    );
  return {
    label,
    spec: s.spec,
    ...(s.user ? { user: s.user } : {}),
    status: s.before && s.after ? 'complete' : s.before ? 'partial' : 'failed',
    ...(s.error ? { error: `${s.error.step}: ${s.error.message}` } : {}),
    ...manifestSkipped(s.after?.snapshot ?? s.before?.snapshot),
    rawSets: [
      ...(s.before ? [{ dir: 'before', raw: s.before.raw }] : []),
      ...(s.after ? [{ dir: 'after', raw: s.after.raw }] : []),
    ],
    files,
  };
}

export function scanBundleParts(
  scans: readonly NodeScan[],
  ranking: Ranking,
  scanMeta: ScanMeta,
  meta: {
    caseId?: string;
    note?: string;
    createdAt: Date;
    intervalS: number;
    logs: string[];
    redacted: boolean;
    kept?: readonly string[];
  },
): BundleParts {
  const hosts = scans.map(scanHost);
  // The ranking's findings, each under the node's label as the files name it.
  const labels = new Map(scans.map((s) => [s.name, labelOf(s)]));
  const findings = ranking.nodes.flatMap((n) =>
    n.findings.map((f) => ({ ...f, host: labels.get(n.name) ?? f.host })),
  );
  const taken = scans.filter((s) => s.before && s.after);
  const checked = [
    ...new Set(
      taken.flatMap((s) =>
        checkedCounters({ before: s.before!.snapshot, after: s.after!.snapshot }),
      ),
    ),
  ];
  const summary: Summary = {
    ...hostsSummaryHead('scan', hosts, meta),
    findings: findings.map(toSummaryFinding),
    checked,
    hosts: scans.map((s, i) =>
      hostSummary(hosts[i]!.label, s.after?.snapshot ?? s.before?.snapshot, hosts[i]!.error),
    ),
  };
  const md = renderSummaryMd(summary, [], [], scanMdLines(ranking, meta.intervalS, labels));
  const files = [
    { path: SUMMARY_MD, bytes: Buffer.from(md) },
    { path: SUMMARY_JSON, bytes: Buffer.from(`${toJson(summary)}\n`) },
    {
      path: SCAN_JSON,
      bytes: Buffer.from(`${toJson(scanJson(ranking, scanMeta, (n) => labels.get(n) ?? n))}\n`),
    },
    { path: 'logs/collect.log', bytes: Buffer.from(`${meta.logs.join('\n')}\n`) },
  ];
  return { hosts, files, summary };
}
