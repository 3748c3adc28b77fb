import type { Ranking } from '../collectors/scan/rank.js';
import type { ScanMeta } from '../collectors/scan/scan-json.js';
import type { NodeScan } from '../collectors/scan/scan-node.js';
import { scanBundleParts } from './scan-bundle.js';
import { type BundleOutcome, type WriteOptions, writeParts } from './write-parts.js';

// `collect scan --bundle`: the fleet's parts written as one bundle, through
// the writer every bundle goes through (redaction, manifest, leak scan).
export async function writeScanBundle(
  scans: readonly NodeScan[],
  ranking: Ranking,
  meta: ScanMeta,
  o: Omit<WriteOptions, 'createdAt'> & { note?: string },
): Promise<BundleOutcome> {
  const createdAt = new Date();
  const logs = scans.map(
    (s) =>
      `${s.before?.snapshot.takenAt ?? createdAt.toISOString()} ${s.name}: ${
        s.error
          ? `FAILED: ${s.error.step}: ${s.error.message}`
          : `2 snapshots ${((s.elapsedMs ?? 0) / 1000).toFixed(1)} s apart`
      }`,
  );
  const parts = scanBundleParts(scans, ranking, meta, {
    ...(o.caseId ? { caseId: o.caseId } : {}),
    ...(o.note ? { note: o.note } : {}),
    createdAt,
    intervalS: meta.intervalS,
    logs,
    redacted: o.redact,
  });
  return writeParts('scan', parts, { ...o, createdAt });
}
