import { resolve } from 'node:path';
import { toJson } from '../collectors/json.js';
import type { BundleHost, BundleInput, WrittenBundle } from './bundle-input.js';
import { hostFolders, layoutFiles } from './bundle-layout.js';
import { bundleManifest } from './bundle-manifest.js';
import { bundleRedactor } from './bundle-redactor.js';
import { checkEntryPaths, sha256 } from './entries.js';
import type { HostIdentity } from './identity-build.js';
import { IDENTITY_JSON, identityDocument } from './identity-json.js';
import { MANIFEST_PATH } from './manifest.js';
import { bundleName } from './name.js';
import { checkOutDir } from './out-dir.js';
import { packAtFreeName } from './pack.js';
import { type ReadBack, readBackAndScan, writeMapBeside } from './read-back.js';
import { type RedactedFiles, redactEntries } from './redact-entries.js';
import { addReport } from './report/in-bundle.js';

// The writer owns the order of the phases: discover and observe → lay out →
// redact and hash → manifest → check paths → archive (atomic: read back and
// leak scan, which fail closed, run while it syncs, before it has its name)
// → map file.

export type { BundleHost, BundleInput, HostRawSet, WrittenBundle } from './bundle-input.js';

// --debug: how long each phase took since the previous one.
function lapTimer(debug: ((line: string) => void) | undefined): (phase: string) => void {
  let lapAt = performance.now();
  return (phase) => {
    const now = performance.now();
    debug?.(`bundle: ${phase} in ${(now - lapAt).toFixed(1)} ms`);
    lapAt = now;
  };
}

// identity.json, in clear, after everything else was redacted: its
// `inBundle` spellings come from the same redactor.
function addIdentityFile(
  into: RedactedFiles,
  identity: HostIdentity[],
  hostDirs: Map<BundleHost, string>,
  red: (t: string) => string,
): void {
  const folders = new Map([...hostDirs].map(([h, dir]) => [h.label, dir]));
  const doc = identityDocument(identity, (label) => folders.get(label) ?? red(label), red);
  const bytes = Buffer.from(`${toJson(doc)}\n`);
  into.entries.push({ path: IDENTITY_JSON, bytes });
  into.files.push({ path: IDENTITY_JSON, sha256: sha256(bytes), bytes: bytes.length });
}

export async function writeBundle(input: BundleInput): Promise<WrittenBundle> {
  const outDir = resolve(input.outDir);
  await checkOutDir(outDir);
  const lap = lapTimer(input.debug);
  const createdAt = input.createdAt ?? new Date();
  const redactor = input.redact ? await bundleRedactor(input) : undefined;
  const red = (t: string) => (redactor ? redactor.redactText(t).text : t);
  const hostDirs = hostFolders(input.hosts, red);
  const pending = layoutFiles(input, hostDirs, red);
  lap('discovery');
  const redactedFiles = redactEntries(pending, redactor, red);
  if (input.identity) addIdentityFile(redactedFiles, input.identity, hostDirs, red);
  lap('redaction');
  await addReport(redactedFiles);
  lap('report');
  const manifest = bundleManifest(input, {
    createdAt,
    hostDirs,
    red,
    redacted: !!redactor,
    redactedFiles,
    ...(input.identity ? { shared: IDENTITY_JSON } : {}),
  });
  const entries = [
    ...redactedFiles.entries,
    { path: MANIFEST_PATH, bytes: Buffer.from(`${toJson(manifest)}\n`) },
  ];
  // Fails closed before anything is packed: every path relative, inside the
  // bundle and listed once, whatever a host sent as a name.
  checkEntryPaths(entries);
  const label =
    input.caseId ??
    (input.hosts.length === 1 ? hostDirs.get(input.hosts[0]!)! : `${input.hosts.length}-hosts`);
  let back: ReadBack | undefined;
  const { file, name } = await packAtFreeName(
    outDir,
    bundleName(createdAt, input.kind, label),
    entries,
    createdAt,
    async (written) => {
      lap('archive');
      back = await readBackAndScan(written, { redactor, keep: new Set(input.keep ?? []), lap });
    },
  );
  const mapFile = redactor ? await writeMapBeside(file, { outDir, name, redactor }) : undefined;
  lap('map');
  return {
    file,
    bytes: back!.bytes,
    sha256: back!.sha256,
    ...(mapFile ? { mapFile } : {}),
    manifest,
  };
}
