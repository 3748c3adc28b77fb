import type { BundleHost, BundleInput } from './bundle-input.js';
import type { BundleEntry } from './entries.js';
import type { ManifestFile } from './manifest.js';

// Where each file goes in the bundle, unredacted, with what the manifest
// needs to say about it. Pure.

export type Red = (text: string) => string;

export interface PendingFile {
  entry: BundleEntry;
  meta: Omit<ManifestFile, 'path' | 'sha256' | 'bytes'>;
}

// One folder per host, even when two hosts report the same name (cloned
// VMs, one host given twice): two entries must never share a path.
export function hostFolders(hosts: BundleHost[], red: Red): Map<BundleHost, string> {
  const dirs = new Map<BundleHost, string>();
  const used = new Set<string>();
  for (const h of hosts) {
    let dir = red(h.label);
    for (let n = 2; used.has(dir); n++) dir = `${red(h.label)}-${n}`;
    used.add(dir);
    dirs.set(h, dir);
  }
  return dirs;
}

// hosts/<host>/[<dir>/]raw/… with where each output came from, then the
// host's other files, then the top-level files.
export function layoutFiles(
  input: BundleInput,
  hostDirs: Map<BundleHost, string>,
  red: Red,
): PendingFile[] {
  const pending: PendingFile[] = [];
  for (const h of input.hosts) {
    const host = hostDirs.get(h)!;
    const base = `hosts/${host}`;
    for (const s of h.rawSets) {
      for (const r of s.raw) {
        pending.push({
          entry: { path: `${base}/${s.dir ? `${s.dir}/` : ''}raw/${r.path}`, bytes: r.bytes },
          meta: {
            host,
            source: red(r.record.source),
            exitCode: r.record.exitCode,
            ...(r.record.durationMs !== undefined ? { durationMs: r.record.durationMs } : {}),
            ...(r.record.stderr ? { stderr: red(r.record.stderr) } : {}),
            ...(r.record.reason ? { reason: red(r.record.reason) } : {}),
          },
        });
      }
    }
    for (const f of h.files)
      pending.push({ entry: { path: `${base}/${f.path}`, bytes: f.bytes }, meta: { host } });
  }
  for (const f of input.files) pending.push({ entry: f, meta: {} });
  return pending;
}
