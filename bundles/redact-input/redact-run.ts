import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { archivePath } from '../../collectors/offline/archive-tree.js';
import { resolveIn, type TreeNode } from '../../collectors/offline/file-tree.js';
import { DropkitError } from '../../kit/errors.js';
import { isSafeRelPath } from '../../kit/safe-path.js';
import { caseSecret } from '../case-secret.js';
import { checkOutDir } from '../out-dir.js';
import { emptyCounts } from '../redact/categories.js';
import {
  type Category,
  type CategoryCounts,
  createRedactor,
  mergeDiscovered,
  type Redactor,
  writeMapFile,
} from '../redact/index.js';
import { DISCOVERY_MAX_BYTES, discoverFromInput, isDiscoverySource } from './input-discovery.js';
import { type InputEntry, type InputKind, inputEntries } from './input-entries.js';
import { leakError, READ_BACK_LIMITS, scanWritten } from './leak-check.js';
import { directorySink, type OutputSink, singleFileSink, tarGzSink } from './output-writers.js';
import { binaryReason, LineChunker } from './text-chunks.js';

// `collect redact`: other tools' output (sos reports, directories, logs) through the bundle's
// redactor. Three reads of every input: discovery (every name, address and value, from every
// file, before any is redacted), redaction into a `.partial`, and the leak scan of that
// `.partial` as written. Only when every output scans clean are the maps written and the
// outputs moved to their names; anything else removes every `.partial`.

export interface RedactRequest {
  readonly inputs: readonly string[];
  readonly caseId?: string;
  readonly outDir?: string;
  readonly keywords?: readonly string[];
  readonly keep?: readonly Category[];
  readonly signal?: AbortSignal;
  // Bytes of file content read so far in a pass, for a progress line.
  readonly onProgress?: (phase: string, bytes: number) => void;
}

export interface Skipped {
  readonly path: string;
  readonly reason: string;
}

export interface RedactedOutput {
  readonly input: string;
  readonly kind: InputKind;
  // undefined for standard output.
  readonly output?: string;
  readonly map: string;
  readonly files: number;
  readonly skipped: Skipped[];
}

export interface RedactOutcome {
  readonly outputs: RedactedOutput[];
  readonly counts: CategoryCounts;
  readonly kept: Category[];
  // Standard input's redacted text, to copy to stdout (then remove), when no --out was given.
  readonly stdoutFile?: string;
}

interface Input {
  readonly arg: string;
  readonly path: string;
  readonly kind: InputKind;
  readonly size: number;
  // Why an entry is left out, learnt in the discovery pass.
  readonly binary: Map<string, string>;
  // Every entry as lstat would see it, to resolve links inside the root only.
  readonly nodes: Map<string, TreeNode>;
}

const ARCHIVE_NAME = /\.(?:tar\.gz|tgz|tar\.xz|txz|tar\.bz2|tbz2|tar\.zst|tar)$/i;

export async function redactInputs(req: RedactRequest): Promise<RedactOutcome> {
  const scratch = await mkdtemp(join(tmpdir(), 'dropkit-redact-'));
  const sinks: OutputSink[] = [];
  try {
    if (req.outDir) await checkOutDir(req.outDir);
    const inputs: Input[] = [];
    for (const arg of req.inputs) inputs.push(await openInput(arg, scratch, req.signal));
    const redactor = await discover(inputs, req);
    const keep = new Set(req.keep ?? []);
    const counts = emptyCounts();
    const plans: Array<{ out: RedactedOutput; sink: OutputSink; final?: string }> = [];
    for (const input of inputs) {
      const names = outputNames(input, redactor, req.outDir, scratch);
      const sink =
        input.kind === 'archive'
          ? await tarGzSink(names.output)
          : input.kind === 'directory'
            ? await directorySink(names.output)
            : await singleFileSink(names.output);
      sinks.push(sink);
      const { files, skipped } = await redactInto(input, sink, redactor, counts, req);
      await sink.close();
      const leaks = await scanWritten(
        inputEntries(input.kind, sink.partial, {
          label: names.output,
          limits: READ_BACK_LIMITS,
          ...(req.signal ? { signal: req.signal } : {}),
        }),
        {
          label: basename(names.output),
          scanner: redactor.leakScanner(),
          keep,
          names: [basename(names.output), basename(names.map)],
        },
      );
      if (leaks.length) throw leakError(leaks);
      plans.push({
        sink,
        out: {
          input: input.arg,
          kind: input.kind,
          ...(names.stdout ? {} : { output: names.output }),
          map: names.map,
          files,
          skipped,
        },
        ...(names.stdout ? { final: names.output } : {}),
      });
    }
    req.signal?.throwIfAborted();
    const mapping = redactor.mapping();
    for (const p of plans) await writeMapFile(p.out.map, mapping);
    let stdoutFile: string | undefined;
    for (const p of plans) {
      await p.sink.commit();
      if (p.final) stdoutFile = p.final;
    }
    sinks.length = 0;
    if (!stdoutFile) await rm(scratch, { recursive: true, force: true });
    return {
      outputs: plans.map((p) => p.out),
      counts,
      kept: [...keep],
      ...(stdoutFile ? { stdoutFile } : {}),
    };
  } catch (e) {
    for (const s of sinks) await s.discard();
    await rm(scratch, { recursive: true, force: true });
    throw req.signal?.aborted && !(e instanceof DropkitError && e.code === 'LEAK_DETECTED')
      ? new DropkitError({
          code: 'ABORTED',
          message: 'interrupted: nothing was written',
          step: 'redact',
        })
      : e;
  }
}

// Copies the redacted standard input to stdout, then removes it (and its scratch directory).
export async function emitStdout(file: string): Promise<void> {
  try {
    await pipeline(createReadStream(file), process.stdout, { end: false });
  } finally {
    await rm(dirname(file), { recursive: true, force: true });
  }
}

async function openInput(arg: string, scratch: string, signal?: AbortSignal): Promise<Input> {
  const fresh = { binary: new Map<string, string>(), nodes: new Map<string, TreeNode>() };
  if (arg === '-') {
    // Two passes need the text twice: standard input is kept in the scratch directory (0700).
    const path = join(scratch, 'stdin');
    const fh = await open(path, 'wx', 0o600);
    try {
      await pipeline(process.stdin, fh.createWriteStream(), signal ? { signal } : {});
    } finally {
      await fh.close().catch(() => undefined);
    }
    return { arg, path, kind: 'file', size: (await stat(path)).size, ...fresh };
  }
  const st = await stat(arg).catch((e: NodeJS.ErrnoException) => {
    throw new DropkitError({
      code: 'USAGE',
      message: `${arg}: ${e.code ?? e.message}`,
      step: 'read',
    });
  });
  if (st.isDirectory()) return { arg, path: arg, kind: 'directory', size: 0, ...fresh };
  if (!st.isFile())
    throw new DropkitError({
      code: 'USAGE',
      message: `${arg}: not a regular file or directory`,
      step: 'read',
    });
  return {
    arg,
    path: arg,
    kind: (await looksLikeArchive(arg)) ? 'archive' : 'file',
    size: st.size,
    ...fresh,
  };
}

// A compressed stream (gzip, xz, bzip2, zstd: the tar reader refuses the last two by name), a
// tar header, or a tarball's name.
async function looksLikeArchive(file: string): Promise<boolean> {
  if (ARCHIVE_NAME.test(file)) return true;
  const head = Buffer.alloc(265);
  const fh = await open(file, 'r');
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  const magic = [
    [0x1f, 0x8b],
    [0xfd, 0x37, 0x7a, 0x58, 0x5a],
    [0x42, 0x5a, 0x68],
    [0x28, 0xb5, 0x2f, 0xfd],
  ];
  return (
    magic.some((m) => m.every((b, i) => head[i] === b)) ||
    head.subarray(257, 262).toString('latin1') === 'ustar'
  );
}

// Pass 1: every file observed (in pieces) by a first redactor, the discovery sources read; the
// redactor that redacts is then built from both, so it knows every value before the first byte
// is redacted.
async function discover(inputs: Input[], req: RedactRequest): Promise<Redactor> {
  const secret = await caseSecret(req.caseId);
  // It only learns: the redacting is done by the redactor built below, so it keeps no findings.
  const observer = createRedactor({ secret, reuseFindings: false });
  const sources: Array<{ path: string; bytes: Buffer }> = [];
  let bytes = 0;
  for (const input of inputs) {
    for await (const e of inputEntries(input.kind, input.path, entryOptions(input, req))) {
      recordNode(input.nodes, e);
      observer.observe(e.path);
      if (e.linkname) observer.observe(e.linkname);
      if (!e.content) continue;
      const held: Buffer[] = [];
      const source = isDiscoverySource(e.path) && e.size <= DISCOVERY_MAX_BYTES;
      const chunker = new LineChunker();
      let first = true;
      for await (const b of e.content) {
        if (first) {
          first = false;
          const binary = binaryReason(b);
          if (binary) {
            input.binary.set(e.path, binary);
            break;
          }
        }
        bytes += b.length;
        req.onProgress?.('discovery', bytes);
        if (source) held.push(b);
        for (const t of chunker.push(b)) observer.observe(t, e.path);
      }
      for (const t of chunker.end()) observer.observe(t, e.path);
      if (source && !input.binary.has(e.path))
        sources.push({ path: e.path, bytes: Buffer.concat(held) });
    }
  }
  const discovered = mergeDiscovered(discoverFromInput(sources), {
    keywords: req.keywords ?? [],
    extra: observer.sensitiveValues(),
  });
  return createRedactor({ secret, discovered, ...(req.keep ? { keep: req.keep } : {}) });
}

function entryOptions(input: Input, req: RedactRequest) {
  return {
    label: input.arg === '-' ? 'standard input' : input.arg,
    ...(req.signal ? { signal: req.signal } : {}),
  };
}

function recordNode(nodes: Map<string, TreeNode>, e: InputEntry): void {
  if (e.path === '' || e.type === 'other') return;
  const segs = e.path.split('/');
  for (let i = 1; i < segs.length; i++) {
    const dir = segs.slice(0, i).join('/');
    if (!nodes.has(dir)) nodes.set(dir, { kind: 'dir' });
  }
  nodes.set(
    e.path,
    e.type === 'symlink'
      ? { kind: 'link', target: e.linkname ?? '' }
      : { kind: e.type === 'directory' ? 'dir' : 'file' },
  );
}

// Pass 2: each entry as it comes, its name and content redacted, into the sink.
async function redactInto(
  input: Input,
  sink: OutputSink,
  redactor: Redactor,
  counts: CategoryCounts,
  req: RedactRequest,
): Promise<{ files: number; skipped: Skipped[] }> {
  const skipped: Skipped[] = [];
  const written = new Map<string, string>();
  const used = new Set<string>();
  let files = 0;
  let bytes = 0;
  const add = (c: CategoryCounts) => {
    for (const [k, n] of Object.entries(c)) counts[k as Category] += n;
  };
  const redactName = (path: string): string => {
    const r = redactor.redactText(path);
    add(r.counts);
    return r.text;
  };
  for await (const e of inputEntries(input.kind, input.path, entryOptions(input, req))) {
    const why = e.skipped ?? input.binary.get(e.path);
    if (why) {
      if (input.kind === 'file')
        throw new DropkitError({
          code: 'USAGE',
          message: `${input.arg}: ${why}: nothing to redact`,
          step: 'redact',
        });
      skipped.push({ path: redactName(e.path), reason: why });
      continue;
    }
    const out = e.path === '' ? '' : redactName(e.path);
    if (input.kind !== 'file' && (!isSafeRelPath(out) || used.has(out))) {
      skipped.push({ path: out, reason: 'its redacted name is not a safe, distinct path' });
      continue;
    }
    used.add(out);
    if (e.type === 'directory') await sink.dir(out, e.mode, e.mtime);
    else if (e.type === 'symlink') {
      const outside = await escapes(input, e.path);
      if (outside) {
        skipped.push({ path: out, reason: outside });
        continue;
      }
      await sink.symlink(out, redactName(e.linkname ?? ''), e.mtime);
    } else if (e.type === 'link') {
      const target = written.get(archivePath(e.linkname ?? '') ?? '\0');
      if (target === undefined)
        skipped.push({ path: out, reason: 'a hard link to a file not written' });
      else await sink.hardlink(out, target, e.mtime);
    } else if (e.content) {
      const content = e.content;
      const pieces = async function* (): AsyncIterable<Buffer> {
        const chunker = new LineChunker();
        const redact = (t: string) => {
          const r = redactor.redactText(t, e.path);
          add(r.counts);
          return Buffer.from(r.text, 'latin1');
        };
        for await (const b of content) {
          bytes += b.length;
          req.onProgress?.('redaction', bytes);
          for (const t of chunker.push(b)) yield redact(t);
        }
        for (const t of chunker.end()) yield redact(t);
      };
      await sink.file(out, e.mode, e.mtime, pieces());
      written.set(e.path, out);
      files++;
    }
  }
  return { files, skipped };
}

// Why a link must not be kept: absolute, climbing out of the root, or one of a loop. A link to
// nothing inside the root is kept (sos keeps /proc's).
async function escapes(input: Input, path: string): Promise<string | undefined> {
  let why: string | undefined;
  await resolveIn(path, {
    lstat: async (p) => input.nodes.get(p),
    hops: 40,
    root: 'root',
    warn: () => {
      why = 'a link that leads out of the root (not followed)';
    },
    show: (p) => p,
  });
  return why;
}

function outputNames(
  input: Input,
  redactor: Redactor,
  outDir: string | undefined,
  scratch: string,
): { output: string; map: string; stdout: boolean } {
  const base = input.arg === '-' ? 'stdin' : basename(resolve(input.path));
  let stem = base;
  let ext = '';
  if (input.kind === 'archive') {
    stem = base.replace(ARCHIVE_NAME, '');
    ext = '.tar.gz';
  } else if (input.kind === 'file') {
    const dot = base.lastIndexOf('.');
    if (dot > 0) [stem, ext] = [base.slice(0, dot), base.slice(dot)];
  }
  const name = `${redactor.redactText(stem).text}-redacted`;
  const stdout = input.arg === '-' && !outDir;
  const dir = outDir ?? (input.arg === '-' ? '.' : dirname(resolve(input.path)));
  return {
    output: join(stdout ? scratch : dir, `${name}${ext}`),
    map: join(dir, `${name}.map.json`),
    stdout,
  };
}
