// manifest.json: what is in the bundle, where each byte came from, and how
// complete it is. Documented for support engineers in bundles/README.md.

// node: `collect bundle`; repro: `repro run`; compare: `repro compare`, one
// reproduction per variant and repeat.
export type BundleKind = 'node' | 'repro' | 'compare' | 'scan';

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
  host?: string;
  // What produced it on the host: the command line or the file read.
  source?: string;
  exitCode?: number | null;
  durationMs?: number;
  // The first lines of stderr, redacted like everything else.
  stderr?: string;
  // Why the source failed, when it did.
  reason?: string;
  // Replacements made in this file, by category.
  redactions?: Record<string, number>;
}

export interface ManifestHost {
  host: string;
  status: 'complete' | 'partial' | 'failed';
  error?: string;
  failedSources?: number;
  // Sources left out on purpose on some interfaces, with how many (the names
  // are in the host's snapshot.json `skipped`).
  skipped?: Array<{ source: string; reason: string; interfaces: number }>;
}

export interface Manifest {
  schema: 'dropkit.bundle/1';
  tool: { name: 'dropkit'; version: string };
  kind: BundleKind;
  caseId: string | null;
  createdAt: string;
  command: string[];
  note?: string;
  hosts: ManifestHost[];
  // complete: every host answered; partial: some host or step failed and the
  // bundle holds what was collected.
  status: 'complete' | 'partial';
  redaction: {
    enabled: boolean;
    counts: Record<string, number>;
    keywords: number;
    // Files the operator chose to share in clear (--share-identity).
    shared?: string[];
    // Categories the operator left readable (--keep): verify does not count them as leaks.
    kept?: string[];
  };
  files: ManifestFile[];
}

export const MANIFEST_PATH = 'manifest.json';
export const SUMMARY_MD = 'summary.md';
export const SUMMARY_JSON = 'summary.json';
