import type { RawFile, Snapshot } from '../collectors/model.js';
import type { BundleEntry } from './entries.js';
import type { HostIdentity } from './identity-build.js';
import type { Manifest, ManifestHost } from './manifest.js';
import type { Category } from './redact/categories.js';

// Everything a bundle is made of, before redaction, and what writing it
// returns. write-bundle.ts owns the order of the phases.

export interface HostRawSet {
  // Where in the host's folder: '' for a node bundle, 'before'/'after' for a reproduction.
  dir: string;
  raw: RawFile[];
}

export interface BundleHost {
  // A stable label before redaction (the real hostname when known).
  label: string;
  // What the operator typed ([user@]host[:port]): its host and user are as
  // sensitive as anything the host printed, whether or not it connected.
  spec?: string;
  user?: string;
  status: ManifestHost['status'];
  error?: string;
  failedSources?: number;
  skipped?: ManifestHost['skipped'];
  rawSets: HostRawSet[];
  // Other files under hosts/<host>/ (snapshot.json, delta.json …).
  files: BundleEntry[];
}

export interface BundleInput {
  kind: Manifest['kind'];
  // As the summary says: a reproduction whose traffic failed is partial even
  // when both hosts were snapshotted.
  status: Manifest['status'];
  caseId?: string;
  note?: string;
  command: string[];
  outDir: string;
  redact: boolean;
  keywords: string[];
  // --keep: categories left readable; secrets never are.
  keep?: readonly Category[];
  hosts: BundleHost[];
  // Top-level files: summary.md, summary.json, repro/…, logs/…
  files: BundleEntry[];
  // --share-identity, once the operator agreed: written in clear as
  // identity.json, after the redaction of everything else.
  identity?: HostIdentity[];
  createdAt?: Date;
  // --debug: how long each phase took.
  debug?: (line: string) => void;
}

export interface WrittenBundle {
  file: string;
  bytes: number;
  sha256: string;
  mapFile?: string;
  manifest: Manifest;
}

// The manifest's record of what a snapshot left out by design: sources and
// how many interfaces, the names staying in snapshot.json.
export function manifestSkipped(snap: Snapshot | undefined): Pick<BundleHost, 'skipped'> {
  const s = snap?.skipped ?? [];
  return s.length
    ? { skipped: s.map((k) => ({ source: k.id, reason: k.reason, interfaces: k.ifaces.length })) }
    : {};
}
