import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { DropkitError } from '../../kit/errors.js';
import type { Snapshot } from '../model.js';
import { COLLECTORS } from '../registry.js';
import { buildSnapshot } from '../snapshot/build.js';
import type { Section } from '../snapshot/frames.js';
import { readArchiveTree } from './archive-tree.js';
import { diskTree } from './disk-tree.js';
import { type FileTree, joinRel, type TreeOptions } from './file-tree.js';
import { matchingPaths } from './layout-paths.js';
import {
  dropkitLayout,
  evidenceFileName,
  type LayoutEntry,
  matchLayout,
  SOS_LAYOUT,
} from './layouts.js';
import { parseSosManifest, SOS_MANIFEST } from './sos-manifest.js';

// `collect analyze` input: a dropkit snapshot directory (snapshot.json +
// raw/), a bundle or extracted bundle (hosts/*/), a sos report directory, or
// a sos/dropkit tarball. Everything is re-parsed from the raw files, so an
// analysis always reflects the bytes the host printed. Inputs come from
// strangers: they are read through a FileTree (no extraction, no link out of
// the input, regular files only, with limits).

export type LoadOptions = TreeOptions;

async function sectionsFrom(tree: FileTree, root: string, layout: LayoutEntry[]) {
  const sections: Section[] = [];
  const seen = new Set<string>();
  for (const entry of layout) {
    for (const rel of await matchingPaths(tree, root, entry.path)) {
      const m = matchLayout(entry, rel);
      if (!m) continue;
      const key = `${entry.id}/${m.iface ?? ''}`;
      // The first matching layout path wins (e.g. ip -s -d link over ip -s link).
      if (seen.has(key)) continue;
      const stdout = await tree.read(joinRel(root, rel));
      if (!stdout) continue;
      seen.add(key);
      sections.push({
        id: entry.id,
        ...(m.iface ? { iface: m.iface } : {}),
        stdout,
        stderr: '',
        exitCode: 0,
        truncated: false,
      });
    }
  }
  return sections;
}

// When the counters were read: a dropkit snapshot's own `takenAt` (beside
// raw/ or in it; never above the input's root), a sos report's manifest, or,
// with neither, the root's mtime, marked as such (no rate is measured from it).
async function timeOf(
  tree: FileTree,
  root: string,
  sos: boolean,
  warn: (line: string) => void,
): Promise<{
  takenAt: string;
  durationMs: number;
  host?: string;
  timeBase?: Snapshot['timeBase'];
}> {
  if (sos) {
    const bytes = await tree.read(joinRel(root, SOS_MANIFEST));
    if (bytes) {
      const { value, warnings } = parseSosManifest(bytes);
      for (const w of warnings) warn(`${tree.show(root)}: ${w}`);
      if (value) return { ...value, timeBase: 'sos-manifest' };
    }
  } else {
    const metas = [joinRel(root, 'snapshot.json')];
    if (root) metas.push(joinRel(posix.dirname(root).replace(/^\.$/, ''), 'snapshot.json'));
    for (const m of metas) {
      const bytes = await tree.read(m);
      if (!bytes) continue;
      try {
        const j = JSON.parse(bytes.toString('utf8')) as {
          takenAt?: unknown;
          durationMs?: unknown;
          host?: unknown;
        };
        const host = typeof j.host === 'string' && j.host ? { host: j.host } : {};
        const ms = typeof j.durationMs === 'number' && j.durationMs >= 0 ? j.durationMs : 0;
        if (typeof j.takenAt === 'string' && Number.isFinite(Date.parse(j.takenAt)))
          return { takenAt: j.takenAt, durationMs: ms, ...host };
        if (host.host) return { ...(await mtimeOf(tree, root)), ...host };
      } catch {
        // A damaged snapshot.json: the raw files still tell the story.
      }
      break;
    }
  }
  return mtimeOf(tree, root);
}

async function mtimeOf(tree: FileTree, root: string) {
  const t = (await tree.mtime(root)) ?? new Date(0);
  return { takenAt: t.toISOString(), durationMs: 0, timeBase: 'file-mtime' as const };
}

async function hostFrom(
  tree: FileTree,
  root: string,
  name: string,
  layout: LayoutEntry[],
  warn: (line: string) => void,
): Promise<Snapshot> {
  const sections = await sectionsFrom(tree, root, layout);
  if (!sections.length) {
    throw new DropkitError({
      code: 'USAGE',
      message: `no known evidence files under ${tree.show(root)}`,
      step: 'analyze',
      hint: 'give a dropkit snapshot or bundle directory, a sos report directory, or its tarball',
    });
  }
  const time = await timeOf(tree, root, layout === SOS_LAYOUT, warn);
  if (time.host) name = time.host;
  const snap = buildSnapshot({
    host: name,
    takenAt: time.takenAt,
    durationMs: time.durationMs,
    sections,
    specs: COLLECTORS,
  }).snapshot;
  if (time.timeBase) snap.timeBase = time.timeBase;
  // A bare snapshot directory has no name of its own: the host's is better.
  if (name === 'host' && snap.facts.hostname) snap.host = snap.facts.hostname;
  return snap;
}

// A capture: the hosts' state; a reproduction bundle also holds each host's
// state before the traffic, so one path is enough for its deltas.
export interface Capture {
  after: Snapshot[];
  before?: Snapshot[];
}

export async function loadSnapshots(path: string, o: LoadOptions = {}): Promise<Snapshot[]> {
  return (await loadCapture(path, o)).after;
}

export async function loadCapture(path: string, o: LoadOptions = {}): Promise<Capture> {
  const st = await stat(path).catch(() => undefined);
  if (!st)
    throw new DropkitError({
      code: 'USAGE',
      message: `${path}: no such file or directory`,
      step: 'analyze',
    });
  if (!st.isFile() && !st.isDirectory())
    throw new DropkitError({
      code: 'USAGE',
      message: `${path}: not a regular file or a directory`,
      step: 'analyze',
    });
  const tree = st.isFile() ? await readArchiveTree(path, evidenceFileName(), o) : diskTree(path, o);
  return captureIn(tree, '', path, 0, o.warn ?? (() => undefined));
}

async function captureIn(
  tree: FileTree,
  at: string,
  path: string,
  depth: number,
  warn: (line: string) => void,
): Promise<Capture> {
  const sub = (...p: string[]) => joinRel(at, ...p);
  if ((await tree.kind(sub('hosts'))) === 'dir') return bundleIn(tree, sub('hosts'), warn);
  if ((await tree.kind(sub('raw'))) === 'dir')
    return { after: [await hostFrom(tree, sub('raw'), 'host', dropkitLayout(), warn)] };
  if ((await tree.kind(sub('sos_commands'))) === 'dir') {
    const hn = (await tree.read(sub('hostname')))?.toString('utf8').trim() || 'sos-host';
    return { after: [await hostFrom(tree, at, hn, SOS_LAYOUT, warn)] };
  }
  // A tarball extracts to one top-level directory.
  const names = await tree.list(at);
  if (depth < 4 && names.length === 1 && (await tree.kind(sub(names[0]!))) === 'dir')
    return captureIn(tree, sub(names[0]!), path, depth + 1, warn);
  throw new DropkitError({
    code: 'USAGE',
    message: `${path} is not a dropkit snapshot, bundle or sos report`,
    step: 'analyze',
    hint: 'expected snapshot.json + raw/, hosts/<host>/raw/, or sos_commands/',
  });
}

// A comparison bundle holds one reproduction per run, in
// hosts/<h>/<run>/{before,after}/raw: the first run (in the order they ran)
// that every host has is read. '' for any other bundle.
async function firstRun(tree: FileTree, hostsDir: string, hosts: string[]): Promise<string> {
  const isDir = async (...p: string[]) => (await tree.kind(joinRel(hostsDir, ...p))) === 'dir';
  const [h0] = hosts;
  if (!h0 || (await isDir(h0, 'raw')) || (await isDir(h0, 'after/raw'))) return '';
  for (const run of [...(await tree.list(joinRel(hostsDir, h0)))].sort()) {
    const all = await Promise.all(hosts.map((h) => isDir(h, run, 'after/raw')));
    if (all.every(Boolean)) return `${run}/`;
  }
  return '';
}

async function bundleIn(
  tree: FileTree,
  hostsDir: string,
  warn: (line: string) => void,
): Promise<Capture> {
  const hosts: string[] = [];
  for (const h of await tree.list(hostsDir))
    if ((await tree.kind(joinRel(hostsDir, h))) === 'dir') hosts.push(h);
  const dir = (h: string, sub: string) => joinRel(hostsDir, h, sub);
  const isDir = async (p: string) => (await tree.kind(p)) === 'dir';
  const from = (h: string, sub: string) => hostFrom(tree, dir(h, sub), h, dropkitLayout(), warn);
  const run = await firstRun(tree, hostsDir, hosts);
  // A reproduction bundle: hosts/<h>/before/raw and hosts/<h>/after/raw.
  const afterRaw = await Promise.all(hosts.map((h) => isDir(dir(h, `${run}after/raw`))));
  if (hosts.length && afterRaw.every(Boolean)) {
    const after = await Promise.all(hosts.map((h) => from(h, `${run}after/raw`)));
    const withBefore: string[] = [];
    for (const h of hosts) if (await isDir(dir(h, `${run}before/raw`))) withBefore.push(h);
    const before = await Promise.all(withBefore.map((h) => from(h, `${run}before/raw`)));
    return { after, ...(before.length ? { before } : {}) };
  }
  return { after: await Promise.all(hosts.map((h) => from(h, 'raw'))) };
}
