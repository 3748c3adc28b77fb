import { existsSync } from 'node:fs';
import { access, constants, mkdir, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { toJson } from '../collectors/json.js';
import type { RawFile } from '../collectors/model.js';
import { DropkitError } from '../kit/errors.js';
import { resolveUnder } from '../kit/safe-path.js';
import { packageVersion } from '../kit/version.js';
import { readTarGz, writeTarGz } from './archive.js';
import { caseSecret } from './case-secret.js';
import { discoverFromHost } from './discover.js';
import { type BundleEntry, checkEntryPaths, sha256 } from './entries.js';
import { MANIFEST_PATH, type Manifest, type ManifestFile, type ManifestHost } from './manifest.js';
import { bundleName } from './name.js';
import {
  type CategoryCounts,
  createRedactor,
  type Discovered,
  mergeDiscovered,
  type Redactor,
  scanForLeaks,
  writeMapFile,
} from './redact/index.js';

// Everything a bundle is made of, before redaction. The writer owns the order
// of the phases: discover → build files → redact → hash → manifest → archive
// (atomic) → read back → leak scan (fails closed) → map file.

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
  hosts: BundleHost[];
  // Top-level files: summary.md, summary.json, repro/…, logs/…
  files: BundleEntry[];
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

async function checkOut(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (e) {
    throw new DropkitError({
      code: 'OUT_NOT_WRITABLE',
      message: `cannot write bundles to ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      step: 'bundle',
      hint: 'pass --out with a writable directory',
    });
  }
}

function addCounts(into: Record<string, number>, c: CategoryCounts): Record<string, number> {
  const own: Record<string, number> = {};
  for (const [k, v] of Object.entries(c)) {
    if (!v) continue;
    own[k] = v;
    into[k] = (into[k] ?? 0) + v;
  }
  return own;
}

// One folder per host, even when two hosts report the same name (cloned
// VMs, one host given twice): two entries must never share a path.
function hostFolders(hosts: BundleHost[], red: (t: string) => string): Map<BundleHost, string> {
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

export async function writeBundle(input: BundleInput): Promise<WrittenBundle> {
  const outDir = resolve(input.outDir);
  await checkOut(outDir);
  let lapAt = performance.now();
  const lap = (phase: string) => {
    const now = performance.now();
    input.debug?.(`bundle: ${phase} in ${(now - lapAt).toFixed(1)} ms`);
    lapAt = now;
  };
  const createdAt = input.createdAt ?? new Date();
  let redactor: Redactor | undefined;
  if (input.redact) {
    const discovered: Discovered[] = input.hosts.map((h) =>
      discoverFromHost(
        h.rawSets.flatMap((s) => s.raw),
        { ...(h.spec ? { spec: h.spec } : {}), ...(h.user ? { user: h.user } : {}) },
      ),
    );
    discovered.push({ hostnames: input.hosts.map((h) => h.label), keywords: input.keywords });
    redactor = createRedactor({
      secret: await caseSecret(input.caseId),
      discovered: mergeDiscovered(...discovered),
    });
  }
  const red = (t: string) => (redactor ? redactor.redactText(t).text : t);

  // Everything, unredacted, with what the manifest needs to say about it.
  type Pending = { entry: BundleEntry; meta: Omit<ManifestFile, 'path' | 'sha256' | 'bytes'> };
  const pending: Pending[] = [];
  // Every file is observed before any is redacted, so a value first seen in
  // a late file (a parsed snapshot, a log) is still replaced in an early one.
  // The redactor keeps these findings for the redaction pass below.
  if (redactor) {
    for (const h of input.hosts) {
      for (const s of h.rawSets)
        for (const r of s.raw) redactor.observe(r.bytes.toString('latin1'), r.path);
      for (const f of h.files) redactor.observe(f.bytes.toString('latin1'), f.path);
    }
    for (const f of input.files) redactor.observe(f.bytes.toString('latin1'), f.path);
  }
  const hostDirs = hostFolders(input.hosts, red);
  for (const h of input.hosts) {
    const base = `hosts/${hostDirs.get(h)}`;
    for (const s of h.rawSets) {
      for (const r of s.raw) {
        pending.push({
          entry: { path: `${base}/${s.dir ? `${s.dir}/` : ''}raw/${r.path}`, bytes: r.bytes },
          meta: {
            host: hostDirs.get(h)!,
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
      pending.push({
        entry: { path: `${base}/${f.path}`, bytes: f.bytes },
        meta: { host: hostDirs.get(h)! },
      });
  }
  for (const f of input.files) pending.push({ entry: f, meta: {} });

  lap('discovery');
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

  lap('redaction');
  const manifest: Manifest = {
    schema: 'dropkit.bundle/1',
    tool: { name: 'dropkit', version: packageVersion() },
    kind: input.kind,
    caseId: input.caseId ?? null,
    createdAt: createdAt.toISOString(),
    command: input.command.map(red),
    ...(input.note ? { note: red(input.note) } : {}),
    hosts: input.hosts.map((h) => ({
      host: hostDirs.get(h)!,
      status: h.status,
      ...(h.error ? { error: red(h.error) } : {}),
      ...(h.failedSources ? { failedSources: h.failedSources } : {}),
    })),
    status: input.status,
    redaction: { enabled: !!redactor, counts: totals, keywords: input.keywords.length },
    files,
  };
  entries.push({ path: MANIFEST_PATH, bytes: Buffer.from(`${toJson(manifest)}\n`) });
  // Fails closed before anything is packed: every path relative, inside the
  // bundle and listed once, whatever a host sent as a name.
  checkEntryPaths(entries);

  const label =
    input.caseId ??
    (input.hosts.length === 1 ? hostDirs.get(input.hosts[0]!)! : `${input.hosts.length}-hosts`);
  const base = bundleName(createdAt, input.kind, label);
  // Two bundles of one host within a second share a name: take the next
  // free suffix rather than fail (and never overwrite). link() in writeTarGz
  // still refuses a name taken in between.
  let name = base;
  let file = resolveUnder(outDir, `${name}.tar.gz`);
  const next = (n: number) => {
    name = `${base}-${n}`;
    file = resolveUnder(outDir, `${name}.tar.gz`);
  };
  let n = 2;
  for (; existsSync(file) && n <= 99; n++) next(n);
  for (;;) {
    try {
      await writeTarGz(file, name, entries, createdAt);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 99) throw e;
      next(n++);
    }
  }

  // The bytes that would ship, as read back from the file: their size and
  // sha256 are what the operator is told, and, with redaction on, the leak
  // scan looks for every value found on the hosts and for the generic
  // patterns. It fails closed: a hit, or any error before the map is
  // written, removes the bundle.
  lap('archive');
  let back: Awaited<ReturnType<typeof readTarGz>>;
  let mapFile: string | undefined;
  try {
    back = await readTarGz(file);
    if (redactor) {
      const leaks = scanForLeaks(
        back.entries.map((e) => ({ path: e.path, text: e.bytes.toString('latin1') })),
        redactor.sensitiveValues(),
      );
      if (leaks.length)
        throw new DropkitError({
          code: 'LEAK_DETECTED',
          message: `the leak scan found ${leaks.length} sensitive value(s); no bundle was written: ${leaks
            .slice(0, 8)
            .map((l) => `${l.path} (${l.category})`)
            .join(', ')}`,
          step: 'leak scan',
          hint: 'this is a redaction gap: please report it with the file names and categories above (never the values)',
        });
      lap('read back and leak scan');
      mapFile = resolveUnder(outDir, `${name}.map.json`);
      await writeMapFile(mapFile, redactor.mapping());
    }
  } catch (e) {
    await unlink(file).catch(() => undefined);
    throw e;
  }
  lap('map');
  return {
    file,
    bytes: back.bytes,
    sha256: back.sha256,
    ...(mapFile ? { mapFile } : {}),
    manifest,
  };
}
