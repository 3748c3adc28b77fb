import type { DropkitError } from '../kit/errors.js';
import { EXIT } from '../kit/exit-codes.js';
import type { BundleHost, WrittenBundle } from './bundle-input.js';
import type { BundleEntry } from './entries.js';
import type { HostIdentity } from './identity-build.js';
import type { BundleKind } from './manifest.js';
import type { Category } from './redact/categories.js';
import type { Summary } from './summary.js';
import { writeBundle } from './write-bundle.js';

// The one tail of both bundle commands: a kind's parts written as a bundle,
// and the exit code that bundle means. The CLI then reports it
// (kit/cli/print-bundle.ts).

export interface BundleParts {
  hosts: BundleHost[];
  files: BundleEntry[];
  // Its status and note go into the manifest as they are in the summary.
  summary: Summary;
}

export interface WriteOptions {
  caseId?: string;
  command: string[];
  outDir: string;
  redact: boolean;
  keywords: string[];
  keep?: readonly Category[];
  createdAt: Date;
  // --share-identity, agreed: identity.json in clear.
  identity?: HostIdentity[];
  debug?: (line: string) => void;
}

// A run that ended early (repro run): interrupted, or stopped by an error.
export interface RunEnd {
  interrupted: boolean;
  error?: DropkitError;
}

export interface BundleOutcome {
  written: WrittenBundle;
  // 0 complete, 3 partial (a host, a source or the traffic failed: the rest
  // is in the bundle), 130 interrupted.
  exitCode: number;
}

export function bundleExitCode(status: Summary['status'], run?: RunEnd): number {
  if (run?.interrupted) return EXIT.INTERRUPTED;
  // A bundle was written, but the run did not finish: partial.
  if (run?.error) return run.error.code === 'ABORTED' ? EXIT.INTERRUPTED : EXIT.PARTIAL;
  return status === 'partial' ? EXIT.PARTIAL : EXIT.OK;
}

export async function writeParts(
  kind: BundleKind,
  parts: BundleParts,
  o: WriteOptions,
  run?: RunEnd,
): Promise<BundleOutcome> {
  const written = await writeBundle({
    kind,
    status: parts.summary.status,
    ...(o.caseId ? { caseId: o.caseId } : {}),
    ...(parts.summary.note ? { note: parts.summary.note } : {}),
    command: o.command,
    outDir: o.outDir,
    redact: o.redact,
    keywords: o.keywords,
    ...(o.keep?.length ? { keep: o.keep } : {}),
    hosts: parts.hosts,
    files: parts.files,
    createdAt: o.createdAt,
    ...(o.identity ? { identity: o.identity } : {}),
    ...(o.debug ? { debug: o.debug } : {}),
  });
  return { written, exitCode: bundleExitCode(parts.summary.status, run) };
}
