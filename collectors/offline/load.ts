import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DropkitError } from '../../kit/errors.js';
import type { Snapshot } from '../model.js';
import { COLLECTORS } from '../registry.js';
import { buildSnapshot } from '../snapshot/build.js';
import type { Section } from '../snapshot/frames.js';
import { type LayoutEntry, matchLayout, SOS_LAYOUT } from './layouts.js';

// `collect analyze` input: a dropkit snapshot directory (snapshot.json +
// raw/), a bundle or extracted bundle (hosts/*/), a sos report directory, or
// a sos/dropkit tarball. Everything is re-parsed from the raw files, so an
// analysis always reflects the bytes the host printed.

async function walk(root: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string, depth: number) => {
    if (depth > 8) return;
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await visit(p, depth + 1);
      else if (e.isFile()) out.push(relative(root, p));
    }
  };
  await visit(root, 0);
  return out;
}

function dropkitLayout(): LayoutEntry[] {
  return COLLECTORS.map((c) => ({ id: c.id, path: c.rawPath }));
}

async function sectionsFrom(root: string, layout: LayoutEntry[]): Promise<Section[]> {
  const files = await walk(root);
  const sections: Section[] = [];
  const seen = new Set<string>();
  for (const entry of layout) {
    for (const rel of files) {
      const m = matchLayout(entry, rel);
      if (!m) continue;
      const key = `${entry.id}/${m.iface ?? ''}`;
      // The first matching layout path wins (e.g. ip -s -d link over ip -s link).
      if (seen.has(key)) continue;
      seen.add(key);
      sections.push({
        id: entry.id,
        ...(m.iface ? { iface: m.iface } : {}),
        stdout: await readFile(join(root, rel)),
        stderr: '',
        exitCode: 0,
        truncated: false,
      });
    }
  }
  return sections;
}

async function hostFrom(root: string, name: string, layout: LayoutEntry[]): Promise<Snapshot> {
  const sections = await sectionsFrom(root, layout);
  if (!sections.length) {
    throw new DropkitError({
      code: 'USAGE',
      message: `no known evidence files under ${root}`,
      step: 'analyze',
      hint: 'give a dropkit snapshot or bundle directory, a sos report directory, or its tarball',
    });
  }
  let takenAt = new Date(0).toISOString();
  const meta = join(root, '..', 'snapshot.json');
  for (const m of [join(root, 'snapshot.json'), meta]) {
    if (!existsSync(m)) continue;
    try {
      const j = JSON.parse(await readFile(m, 'utf8')) as { takenAt?: string; host?: string };
      if (j.takenAt) takenAt = j.takenAt;
      if (j.host) name = j.host;
    } catch {
      // A damaged snapshot.json: the raw files still tell the story.
    }
    break;
  }
  if (takenAt === new Date(0).toISOString()) takenAt = (await stat(root)).mtime.toISOString();
  const snap = buildSnapshot({
    host: name,
    takenAt,
    durationMs: 0,
    sections,
    specs: COLLECTORS,
  }).snapshot;
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

export async function loadSnapshots(path: string): Promise<Snapshot[]> {
  return (await loadCapture(path)).after;
}

export async function loadCapture(path: string): Promise<Capture> {
  const st = await stat(path).catch(() => undefined);
  if (!st)
    throw new DropkitError({
      code: 'USAGE',
      message: `${path}: no such file or directory`,
      step: 'analyze',
    });
  if (st.isFile()) return loadTarball(path);
  if (existsSync(join(path, 'hosts'))) {
    const hosts = (await readdir(join(path, 'hosts'), { withFileTypes: true })).filter((d) =>
      d.isDirectory(),
    );
    const dir = (h: string, sub: string) => join(path, 'hosts', h, sub);
    // A reproduction bundle: hosts/<h>/before/raw and hosts/<h>/after/raw.
    if (hosts.length && hosts.every((h) => existsSync(dir(h.name, 'after/raw')))) {
      const after = await Promise.all(
        hosts.map((h) => hostFrom(dir(h.name, 'after/raw'), h.name, dropkitLayout())),
      );
      const withBefore = hosts.filter((h) => existsSync(dir(h.name, 'before/raw')));
      const before = await Promise.all(
        withBefore.map((h) => hostFrom(dir(h.name, 'before/raw'), h.name, dropkitLayout())),
      );
      return { after, ...(before.length ? { before } : {}) };
    }
    return {
      after: await Promise.all(
        hosts.map((h) => hostFrom(dir(h.name, 'raw'), h.name, dropkitLayout())),
      ),
    };
  }
  if (existsSync(join(path, 'raw')))
    return { after: [await hostFrom(join(path, 'raw'), 'host', dropkitLayout())] };
  if (existsSync(join(path, 'sos_commands'))) {
    const hn =
      (await readFile(join(path, 'hostname'), 'utf8').catch(() => '')).trim() || 'sos-host';
    return { after: [await hostFrom(path, hn, SOS_LAYOUT)] };
  }
  // A tarball extracts to one top-level directory.
  const entries = await readdir(path, { withFileTypes: true });
  const only = entries.filter((e) => e.isDirectory());
  if (only.length === 1 && entries.length === 1) return loadCapture(join(path, only[0]!.name));
  throw new DropkitError({
    code: 'USAGE',
    message: `${path} is not a dropkit snapshot, bundle or sos report`,
    step: 'analyze',
    hint: 'expected snapshot.json + raw/, hosts/<host>/raw/, or sos_commands/',
  });
}

async function loadTarball(file: string): Promise<Capture> {
  const dir = await mkdtemp(join(tmpdir(), 'dropkit-analyze-'));
  try {
    // tar picks the decompressor (gz, xz) itself. execa loads only here: it
    // is a fifth of a CLI's startup that nothing else in `collect` needs.
    const { execa } = await import('execa');
    const r = await execa(
      'tar',
      ['-xf', file, '-C', dir, '--no-same-owner', '--no-same-permissions'],
      { reject: false },
    );
    if (r.exitCode !== 0)
      throw new DropkitError({
        code: 'USAGE',
        message: `cannot extract ${file}: ${String(r.stderr).trim()}`,
        step: 'analyze',
      });
    return await loadCapture(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
