import type { PendingFile, Red } from './bundle-layout.js';
import { type BundleEntry, sha256 } from './entries.js';
import type { ManifestFile } from './manifest.js';
import type { CategoryCounts, Redactor } from './redact/index.js';

// The redaction pass over the laid-out files: the bytes that will be packed,
// their manifest entries (sha256, size, replacements), and the totals by
// category. Without a redactor, the bytes as they are.

export interface RedactedFiles {
  entries: BundleEntry[];
  files: ManifestFile[];
  totals: Record<string, number>;
}

// This file's non-zero counts, also added to the bundle's totals.
function addCounts(into: Record<string, number>, c: CategoryCounts): Record<string, number> {
  const own: Record<string, number> = {};
  for (const [k, v] of Object.entries(c)) {
    if (!v) continue;
    own[k] = v;
    into[k] = (into[k] ?? 0) + v;
  }
  return own;
}

export function redactEntries(
  pending: PendingFile[],
  redactor: Redactor | undefined,
  red: Red,
): RedactedFiles {
  const totals: Record<string, number> = {};
  const entries: BundleEntry[] = [];
  const files: ManifestFile[] = [];
  for (const p of pending) {
    const r = redactor?.redactBuffer(p.entry.bytes, p.entry.path);
    const bytes = r ? r.buffer : p.entry.bytes;
    const counts = r ? addCounts(totals, r.counts) : {};
    // Paths carry interface names (ethtool/<iface>/…), which can be as
    // telling as the host's name: they are redacted like the contents.
    const path = red(p.entry.path);
    entries.push({ path, bytes });
    files.push({
      path,
      sha256: sha256(bytes),
      bytes: bytes.length,
      ...p.meta,
      ...(Object.keys(counts).length ? { redactions: counts } : {}),
    });
  }
  return { entries, files, totals };
}
