import { constants, createReadStream } from 'node:fs';
import { lstat, open, readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { archivePath } from '../../collectors/offline/archive-tree.js';
import { READ_LIMITS, type ReadLimits, sizeText } from '../../collectors/offline/limits.js';
import {
  abortedError,
  inputError,
  limitError,
  readError,
} from '../../collectors/offline/read-errors.js';
import { type TarEntry, TarFeed } from '../../collectors/offline/tar-feed.js';
import { openTarSource } from '../../collectors/offline/tar-source.js';

// The entries of an input to redact, in order, with the content of each regular file as a
// stream of buffers: an archive (through collect analyze's tar reader, with its limits and
// hostile-archive checks), a directory (walked with lstat, never following a link), or one file.
// Each is read once per pass; nothing but the file at hand is held.

export type InputKind = 'archive' | 'directory' | 'file';

export interface InputEntry {
  // Relative to the input's root, `/`-separated; '' for a single file.
  readonly path: string;
  readonly type: 'file' | 'directory' | 'symlink' | 'link' | 'other';
  readonly mode: number;
  readonly mtime: Date;
  readonly size: number;
  readonly linkname?: string;
  // A regular file's bytes, in pieces; undefined when it is not read (see `skipped`).
  readonly content?: AsyncIterable<Buffer>;
  // Why an entry is left out of the output.
  readonly skipped?: string;
}

export interface EntryOptions {
  readonly label: string;
  readonly signal?: AbortSignal;
  readonly limits?: ReadLimits;
}

const MiB = 1 << 20;
// An archive member is held whole while it is redacted (its header, written first, needs the
// redacted size); past this it is skipped, and said so.
export const ARCHIVE_MEMBER_MAX = 64 * MiB;

// collect analyze's limits, but nothing is kept across members: every member may be read.
export const REDACT_LIMITS: Readonly<ReadLimits> = Object.freeze({
  ...READ_LIMITS,
  fileBytes: ARCHIVE_MEMBER_MAX,
  keptBytes: READ_LIMITS.unpackedBytes,
});

export async function* archiveEntries(file: string, o: EntryOptions): AsyncGenerator<InputEntry> {
  const limits = o.limits ?? REDACT_LIMITS;
  const source = await openTarSource(file, {
    label: o.label,
    unpackBytes: limits.unpackedBytes,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const queue: InputEntry[] = [];
  const feed = new TarFeed({
    label: o.label,
    limits,
    keep: (e) => e.size <= limits.fileBytes && archivePath(e.name) !== undefined,
    onEntry: (e, bytes) => queue.push(fromTar(e, bytes, limits)),
  });
  // Errors of the reading are the archive's; the caller's own (thrown at a yield) pass as they are.
  const reading = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (e) {
      feed.destroy();
      throw o.signal?.aborted ? abortedError(o.label) : readError(o.label, e);
    }
  };
  try {
    const chunks = source.chunks[Symbol.asyncIterator]();
    for (;;) {
      const next = await reading(() => chunks.next());
      if (next.done) break;
      const ended = await reading(() => feed.write(next.value));
      while (queue.length) yield queue.shift()!;
      if (ended) break;
    }
    await reading(() => feed.end());
    while (queue.length) yield queue.shift()!;
    if (o.signal?.aborted) throw abortedError(o.label);
  } finally {
    source.close();
  }
}

function fromTar(e: TarEntry, bytes: Buffer | undefined, limits: ReadLimits): InputEntry {
  const path = archivePath(e.name);
  const base = {
    path: path ?? e.name,
    mode: (e.mode ?? 0o644) & 0o7777,
    mtime: e.mtime ?? new Date(0),
    size: e.size,
  };
  if (path === undefined)
    return { ...base, type: 'other', skipped: 'an absolute name or one with ..' };
  const type =
    e.type === 'file' || e.type === 'contiguous-file'
      ? 'file'
      : e.type === 'directory' || e.type === 'symlink' || e.type === 'link'
        ? e.type
        : 'other';
  if (type === 'other') return { ...base, type, skipped: `a ${e.type} entry` };
  if (type === 'file' && !bytes)
    return {
      ...base,
      type,
      skipped: `${sizeText(e.size)}, over ${sizeText(limits.fileBytes)} for one archive member (extract it and redact the file)`,
    };
  return {
    ...base,
    type,
    ...(e.linkname !== undefined ? { linkname: e.linkname } : {}),
    ...(bytes ? { content: once(bytes) } : {}),
  };
}

async function* once(b: Buffer): AsyncIterable<Buffer> {
  yield b;
}

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = constants;

// A directory, depth first in name order. Links are reported, never followed; a file is opened
// with O_NOFOLLOW and read only if it is still a regular file (not a FIFO swapped in).
export async function* directoryEntries(root: string, o: EntryOptions): AsyncGenerator<InputEntry> {
  const limits = o.limits ?? REDACT_LIMITS;
  let count = 0;
  const walk = async function* (rel: string): AsyncGenerator<InputEntry> {
    const names = (
      await readdir(rel ? join(root, rel) : root).catch((e) => {
        throw readError(o.label, e);
      })
    ).sort();
    for (const name of names) {
      if (o.signal?.aborted) throw abortedError(o.label);
      if (++count > limits.entries)
        throw limitError(
          o.label,
          `holds more than ${limits.entries} entries (the limit for one input)`,
        );
      const path = rel ? `${rel}/${name}` : name;
      const abs = join(root, path);
      const st = await lstat(abs).catch((e) => {
        throw readError(o.label, e);
      });
      const base = { path, mode: st.mode & 0o7777, mtime: st.mtime, size: st.size };
      if (st.isDirectory()) {
        yield { ...base, type: 'directory' };
        yield* walk(path);
      } else if (st.isSymbolicLink())
        yield { ...base, type: 'symlink', linkname: await readlink(abs) };
      else if (st.isFile()) yield { ...base, type: 'file', content: fileChunks(abs, o) };
      else yield { ...base, type: 'other', skipped: 'not a regular file, directory or link' };
    }
  };
  yield* walk('');
}

// `follow`: the path the user typed may be a link; nothing found below it is followed.
export async function* fileChunks(
  abs: string,
  o: EntryOptions,
  follow = false,
): AsyncIterable<Buffer> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(abs, O_RDONLY | O_NONBLOCK | (follow ? 0 : O_NOFOLLOW));
  } catch (e) {
    throw readError(o.label, e);
  }
  try {
    if (!(await fh.stat()).isFile()) throw inputError(o.label, `${abs}: not a regular file`);
    // Reads of 256 KiB: each read, and the copy the chunker joins it into, is memory outside the
    // heap until a collection, and reads of 1 MiB held `collect redact` near 200 MB resident on a
    // large log (115 MB with these). The pieces are the same whatever the read size.
    const stream = createReadStream('', { fd: fh, autoClose: false, highWaterMark: MiB / 4 });
    for await (const c of stream) {
      if (o.signal?.aborted) throw abortedError(o.label);
      yield c as Buffer;
    }
  } finally {
    await fh.close().catch(() => undefined);
  }
}

// One text file (or standard input, spooled to one).
export async function* singleFileEntries(
  file: string,
  o: EntryOptions,
): AsyncGenerator<InputEntry> {
  const st = await stat(file).catch((e) => {
    throw readError(o.label, e);
  });
  yield {
    path: '',
    type: 'file',
    mode: st.mode & 0o7777,
    mtime: st.mtime,
    size: st.size,
    content: fileChunks(file, o, true),
  };
}

export function inputEntries(
  kind: InputKind,
  path: string,
  o: EntryOptions,
): AsyncGenerator<InputEntry> {
  if (kind === 'archive') return archiveEntries(path, o);
  if (kind === 'directory') return directoryEntries(path, o);
  return singleFileEntries(path, o);
}
