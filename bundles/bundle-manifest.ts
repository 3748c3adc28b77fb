import { packageVersion } from '../kit/version.js';
import type { BundleHost, BundleInput } from './bundle-input.js';
import type { Red } from './bundle-layout.js';
import type { Manifest } from './manifest.js';
import type { RedactedFiles } from './redact-entries.js';

// manifest.json, from the redacted files: everything in it that came from
// the operator or a host (the command line, the note, host errors) is
// redacted like the files. Pure.
export function bundleManifest(
  input: BundleInput,
  o: {
    createdAt: Date;
    hostDirs: Map<BundleHost, string>;
    red: Red;
    redacted: boolean;
    redactedFiles: RedactedFiles;
    shared?: string;
  },
): Manifest {
  const { red, hostDirs } = o;
  return {
    schema: 'dropkit.bundle/1',
    tool: { name: 'dropkit', version: packageVersion() },
    kind: input.kind,
    caseId: input.caseId ?? null,
    createdAt: o.createdAt.toISOString(),
    command: input.command.map(red),
    ...(input.note ? { note: red(input.note) } : {}),
    hosts: input.hosts.map((h) => ({
      host: hostDirs.get(h)!,
      status: h.status,
      ...(h.error ? { error: red(h.error) } : {}),
      ...(h.failedSources ? { failedSources: h.failedSources } : {}),
      ...(h.skipped?.length ? { skipped: h.skipped } : {}),
    })),
    status: input.status,
    redaction: {
      enabled: o.redacted,
      counts: o.redactedFiles.totals,
      keywords: input.keywords.length,
      ...(o.shared ? { shared: [o.shared] } : {}),
      ...(input.keep?.length ? { kept: [...input.keep] } : {}),
    },
    files: o.redactedFiles.files,
  };
}
