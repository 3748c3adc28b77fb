import { stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { readArchiveTree } from '../../collectors/offline/archive-tree.js';
import { diskTree } from '../../collectors/offline/disk-tree.js';
import type { FileTree } from '../../collectors/offline/file-tree.js';
import { writeAtomic } from '../../kit/atomic-write.js';
import { DropkitError } from '../../kit/errors.js';
import { packageVersion } from '../../kit/version.js';
import { sha256 } from '../entries.js';
import { scanForLeaks } from '../redact/index.js';
import { isReportInput } from './bundle-files.js';
import { chartLibrary } from './chart-library.js';
import { field, parseJson } from './json-read.js';
import { reportHtml } from './report-html.js';

// `collect report BUNDLE`: report.html built again from a bundle on disk
// (a .tar.gz, or the directory it unpacks to), bundles written before the
// report existed included. The bundle is only read, within the limits of
// `collect analyze`, and only the files the report uses are loaded; the
// page is written beside it, never into it.

export interface ReportFile {
  file: string;
  bytes: number;
  sha256: string;
  kind: string;
  charts: number;
}

// A bundle's root inside what was given: the directory with summary.json
// (the bundle's own top directory, or the given one).
async function bundleRoot(tree: FileTree, shown: string): Promise<string> {
  if ((await tree.kind('summary.json')) === 'file') return '';
  const tops = await tree.list('');
  for (const top of tops.length === 1 ? tops : [])
    if ((await tree.kind(`${top}/summary.json`)) === 'file') return top;
  throw new DropkitError({
    code: 'BUNDLE_INVALID',
    message: `${shown} holds no summary.json, at its top or in its one directory`,
    step: 'report',
    hint: 'is this a dropkit bundle? try `collect verify`',
  });
}

const RUN_FILES = [
  'summary.json',
  'repro/series.csv',
  'repro/series-meta.json',
  'repro/phases.json',
  'repro/iperf3/intervals.csv',
];

async function readInputs(tree: FileTree, root: string): Promise<Map<string, Buffer>> {
  const at = (p: string) => (root ? `${root}/${p}` : p);
  const files = new Map<string, Buffer>();
  const read = async (p: string) => {
    if (!isReportInput(p)) return;
    const b = await tree.read(at(p));
    if (b) files.set(p, b);
  };
  const runDir = async (prefix: string) => {
    for (const p of RUN_FILES) await read(`${prefix}${p}`);
    for (const t of await tree.list(at(`${prefix}repro/trace`)))
      await read(`${prefix}repro/trace/${t}`);
  };
  for (const p of ['compare.json', 'manifest.json']) await read(p);
  await runDir('');
  for (const d of await tree.list(at('runs'))) await runDir(`runs/${d}/`);
  return files;
}

// Next to the bundle: `X.tar.gz` or `X/` gives `X.report.html`.
export function defaultReportPath(bundle: string): string {
  const abs = resolve(bundle);
  const name = basename(abs).replace(/\.tar\.gz$|\.tgz$/, '');
  return join(dirname(abs), `${name}.report.html`);
}

function inside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
}

export async function writeReportFile(
  bundle: string,
  o: { out?: string; signal?: AbortSignal; warn?: (line: string) => void } = {},
): Promise<ReportFile> {
  const info = await stat(bundle).catch(() => undefined);
  if (!info)
    throw new DropkitError({ code: 'USAGE', message: `${bundle}: no such file`, step: 'report' });
  const out = resolve(o.out ?? defaultReportPath(bundle));
  if (info.isDirectory() ? inside(resolve(bundle), out) : out === resolve(bundle))
    throw new DropkitError({
      code: 'USAGE',
      message: `--out ${out} is inside the bundle: its signed contents are never changed`,
      step: 'report',
      hint: 'write the report next to the bundle (the default) or anywhere outside it',
    });
  const tree = info.isDirectory()
    ? diskTree(bundle, {
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.warn ? { warn: o.warn } : {}),
      })
    : await readArchiveTree(
        bundle,
        // Only the files the report reads (and the directories above them).
        (p) => isReportInput(p.split('/').slice(1).join('/')) || isReportInput(p),
        { ...(o.signal ? { signal: o.signal } : {}), ...(o.warn ? { warn: o.warn } : {}) },
      ).catch((e: unknown) => {
        // As `collect show`: whatever stops the read, the file is no readable bundle.
        if (e instanceof DropkitError && e.code === 'ABORTED') throw e;
        throw new DropkitError({
          code: 'BUNDLE_INVALID',
          message: `${bundle} is not a readable bundle: ${(e as Error).message}`,
          step: 'report',
        });
      });
  const files = await readInputs(tree, await bundleRoot(tree, bundle));
  const report = reportHtml(files, await chartLibrary(), { version: packageVersion() });
  const html = report.html;
  // The page repeats what the bundle holds; a redacted bundle's report (or
  // one whose manifest cannot be read) is held to the leak patterns first.
  const redacted =
    field(field(parseJson(files.get('manifest.json')), 'redaction'), 'enabled') !== false;
  if (redacted) {
    const leaks = scanForLeaks([{ path: 'report.html', text: html }], []);
    if (leaks.length)
      throw new DropkitError({
        code: 'LEAK_DETECTED',
        message: `the report would hold ${leaks.map((l) => l.category).join(', ')} values that look unredacted; it was not written`,
        step: 'report',
        hint: 'run `collect verify` on the bundle: its own files hold them too',
      });
  }
  const bytes = Buffer.from(html, 'utf8');
  await writeAtomic(out, bytes, { mode: 0o600, replace: true });
  return {
    file: out,
    bytes: bytes.length,
    sha256: sha256(bytes),
    kind: report.kind,
    charts: report.charts,
  };
}
