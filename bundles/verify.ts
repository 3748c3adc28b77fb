import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { quoted } from '../collectors/offline/shown.js';
import { DropkitError } from '../kit/errors.js';
import { isSafeRelPath } from '../kit/safe-path.js';
import { readTarGz } from './archive.js';
import { type BundleEntry, sha256 } from './entries.js';
import { IDENTITY_JSON, identityAllowance } from './identity-json.js';
import { MANIFEST_PATH, type Manifest, SUMMARY_JSON, SUMMARY_MD } from './manifest.js';
import { isCategory } from './redact/categories.js';
import { type SensitiveValue, scanForLeaks } from './redact/index.js';

export interface VerifyReport {
  file: string;
  // A dropkit bundle, or an archive `collect redact` wrote (a sos report,
  // a directory), checked with its map.
  kind: 'bundle' | 'redacted';
  ok: boolean;
  files: number;
  problems: string[];
  manifest?: Manifest;
  // The whole file's, as read (undefined when it could not be read).
  sha256?: string;
}

// Splits `<top>/<path>` entries into the bundle's own paths. Pure. A bundle
// unpacks into one named directory: a top of `..`, `.` or `` (a leading `/`)
// would put its files anywhere on the receiver's disk. `dirs` are the
// archive's directory entries, held to the same rule.
export function unwrap(
  entries: BundleEntry[],
  dirs: string[] = [],
): {
  top?: string;
  files: Map<string, Buffer>;
  problems: string[];
} {
  const problems: string[] = [];
  const unsafe = (name: string) => problems.push(`unsafe path in the archive: ${quoted(name)}`);
  const dirNames = dirs.map((d) => d.replace(/\/+$/, ''));
  const tops = new Set([...entries.map((e) => e.path), ...dirNames].map((p) => p.split('/')[0]));
  if (tops.size !== 1) problems.push(`expected one top-level directory, found ${tops.size}`);
  const top = [...tops][0];
  if (top !== undefined && !isSafeRelPath(top))
    problems.push(
      `unsafe top-level directory ${quoted(top)}: a bundle unpacks into one named directory`,
    );
  for (const d of dirNames) if (!isSafeRelPath(d)) unsafe(d);
  const files = new Map<string, Buffer>();
  for (const e of entries) {
    const rel = e.path.slice((top?.length ?? 0) + 1);
    if (!isSafeRelPath(e.path) || !isSafeRelPath(rel)) unsafe(e.path);
    // Under another top: already a problem above.
    else if (e.path.startsWith(`${top}/`)) files.set(rel, e.bytes);
  }
  return { ...(top ? { top } : {}), files, problems };
}

// Pure: structure, hashes and leak patterns.
export function verifyEntries(
  entries: BundleEntry[],
  sensitive: ReadonlyArray<string | SensitiveValue> = [],
  dirs: string[] = [],
): Omit<VerifyReport, 'file' | 'kind'> {
  const { files, problems } = unwrap(entries, dirs);
  const raw = files.get(MANIFEST_PATH);
  let manifest: Manifest | undefined;
  if (!raw) problems.push('manifest.json is missing');
  else {
    try {
      manifest = JSON.parse(raw.toString('utf8')) as Manifest;
      if (manifest.schema !== 'dropkit.bundle/1')
        problems.push(`unknown manifest schema ${String(manifest.schema)}`);
    } catch {
      problems.push('manifest.json is not valid JSON');
    }
  }
  for (const p of [SUMMARY_MD, SUMMARY_JSON]) if (!files.has(p)) problems.push(`${p} is missing`);
  if (manifest && Array.isArray(manifest.files)) {
    const listed = new Set<string>();
    for (const f of manifest.files) {
      listed.add(f.path);
      const b = files.get(f.path);
      if (!b) problems.push(`${f.path}: listed in the manifest but missing`);
      else if (b.length !== f.bytes || sha256(b) !== f.sha256)
        problems.push(`${f.path}: sha256 does not match the manifest (altered)`);
    }
    for (const p of files.keys())
      if (p !== MANIFEST_PATH && !listed.has(p)) problems.push(`${p}: not listed in the manifest`);
  }
  if (manifest?.redaction?.enabled !== false) {
    const leaks = scanForLeaks(
      [...files].map(([path, b]) => ({ path, text: b.toString('latin1') })),
      sensitive,
      identityAllowance(
        files.has(IDENTITY_JSON)
          ? { path: IDENTITY_JSON, bytes: files.get(IDENTITY_JSON)! }
          : undefined,
      ),
    );
    // --keep: the operator left these readable on purpose; the manifest says
    // so, and the report shows it. Secrets can never be kept.
    const kept = new Set(Array.isArray(manifest?.redaction?.kept) ? manifest.redaction.kept : []);
    for (const l of leaks)
      if (l.category === 'secret' || !kept.has(l.category))
        problems.push(`${l.path}: possible unredacted ${l.category}`);
  }
  return {
    ok: problems.length === 0,
    files: files.size,
    problems,
    ...(manifest ? { manifest } : {}),
  };
}

// An archive `collect redact` wrote: no manifest (it is someone else's
// layout), but one top directory, safe paths, links that stay inside it
// (a sos report keeps `proc/net -> self/net`), and none of the map's
// originals nor any leak pattern in a file or a path. Pure.
export function verifyRedactedEntries(
  entries: BundleEntry[],
  sensitive: ReadonlyArray<string | SensitiveValue>,
  dirs: string[] = [],
  links: ReadonlyArray<{ path: string; target: string; hard: boolean }> = [],
): Omit<VerifyReport, 'file' | 'kind'> {
  const { top, files, problems } = unwrap(
    [...entries, ...links.map((l) => ({ path: l.path, bytes: Buffer.alloc(0) }))],
    dirs,
  );
  for (const l of links) {
    if (!top || !l.path.startsWith(`${top}/`)) continue;
    files.delete(l.path.slice(top.length + 1));
    const at = l.hard ? l.target : posix.join(posix.dirname(l.path), l.target);
    const inside = !posix.isAbsolute(l.target) && isSafeRelPath(at) && at.startsWith(`${top}/`);
    if (!inside)
      problems.push(`${quoted(l.path)}: its link to ${quoted(l.target)} leaves the archive`);
  }
  const leaks = scanForLeaks(
    [
      ...[...files].map(([path, b]) => ({ path, text: b.toString('latin1') })),
      // Names in paths are redacted too; link targets are paths.
      {
        path: '(file names)',
        text: [...files.keys(), ...links.map((l) => l.path), ...dirs].join('\n'),
      },
      { path: '(link targets)', text: links.map((l) => l.target).join('\n') },
    ],
    sensitive,
  );
  for (const l of leaks) problems.push(`${l.path}: possible unredacted ${l.category}`);
  return { ok: problems.length === 0, files: files.size, problems };
}

// `expected`: the sha256 printed when the bundle was created, when the
// receiver has it: any other file, however well-formed, is a problem.
export async function verifyBundle(file: string, expected?: string): Promise<VerifyReport> {
  let back: Awaited<ReturnType<typeof readTarGz>>;
  try {
    back = await readTarGz(file);
  } catch (e) {
    return {
      file,
      kind: 'bundle',
      ok: false,
      files: 0,
      problems: [`not a readable tar.gz: ${(e as Error).message}`],
    };
  }
  // On the operator's machine the map sits next to the bundle: its originals,
  // with their categories, make the leak scan exact, not just pattern-based.
  const sensitive: SensitiveValue[] = [];
  let mapped = false;
  try {
    const map = JSON.parse(await readFile(file.replace(/\.tar\.gz$/, '.map.json'), 'utf8')) as {
      entries?: Array<{ category?: string; original?: string }>;
    };
    for (const m of map.entries ?? [])
      if (typeof m.original === 'string' && isCategory(m.category))
        sensitive.push({ category: m.category, value: m.original });
    mapped = Array.isArray(map.entries);
  } catch {
    // No map: the vendor's side. Patterns only.
  }
  // No manifest, and the map of `collect redact` beside it: a redacted sos
  // report or directory, checked as one.
  if (mapped && !unwrap(back.entries, back.dirs).files.has(MANIFEST_PATH)) {
    const r = verifyRedactedEntries(back.entries, sensitive, back.dirs, back.links);
    const problems = [
      ...back.warnings.filter((w) => !/: unexpected (symlink|link) entry$/.test(w)),
      ...r.problems,
    ];
    if (expected !== undefined && expected.toLowerCase() !== back.sha256)
      problems.unshift(
        `the file's sha256 is ${back.sha256}, not ${expected.toLowerCase()} (--sha256)`,
      );
    return {
      file,
      kind: 'redacted',
      ...r,
      ok: problems.length === 0,
      problems,
      sha256: back.sha256,
    };
  }
  const r = verifyEntries(back.entries, sensitive, back.dirs);
  // Links and devices have no place in a bundle (archive.ts reports them).
  const problems = [...back.warnings, ...r.problems];
  if (expected !== undefined && expected.toLowerCase() !== back.sha256)
    problems.unshift(
      `the file's sha256 is ${back.sha256}, not ${expected.toLowerCase()} (--sha256): this is not the bundle that was created`,
    );
  return { file, kind: 'bundle', ...r, ok: problems.length === 0, problems, sha256: back.sha256 };
}

export async function readSummary(file: string): Promise<string> {
  let entries: BundleEntry[];
  try {
    entries = (await readTarGz(file)).entries;
  } catch (e) {
    throw new DropkitError({
      code: 'BUNDLE_INVALID',
      message: `${file} is not a readable bundle: ${(e as Error).message}`,
      step: 'show',
    });
  }
  const md = unwrap(entries).files.get(SUMMARY_MD);
  if (!md)
    throw new DropkitError({
      code: 'BUNDLE_INVALID',
      message: `${file} has no summary.md`,
      step: 'show',
      hint: 'is this a dropkit bundle? try `collect verify`',
    });
  return md.toString('utf8');
}
