import { randomBytes } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import {
  chmod,
  link,
  lstat,
  lutimes,
  mkdir,
  open,
  rename,
  rm,
  symlink,
  unlink,
  utimes,
} from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { DropkitError } from '../../kit/errors.js';

// Where redacted entries go. Everything is written under a dot-prefixed `.partial` name in the
// output's directory and moved to the final name only by `commit`, after the leak scan: a hit,
// damaged input or Ctrl-C leaves nothing under the final name, and `discard` removes the rest.
export interface OutputSink {
  // The temporary path, for the read back.
  readonly partial: string;
  dir(path: string, mode: number, mtime: Date): Promise<void>;
  file(path: string, mode: number, mtime: Date, pieces: AsyncIterable<Buffer>): Promise<void>;
  symlink(path: string, target: string, mtime: Date): Promise<void>;
  hardlink(path: string, target: string, mtime: Date): Promise<void>;
  // All entries written (not yet visible).
  close(): Promise<void>;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

function partialName(final: string): string {
  return join(dirname(final), `.${basename(final)}.${randomBytes(6).toString('hex')}.partial`);
}

async function refuseExisting(final: string): Promise<void> {
  const there = await lstat(final).then(
    () => true,
    () => false,
  );
  if (there)
    throw new DropkitError({
      code: 'OUT_NOT_WRITABLE',
      message: `refusing to write ${final}: it is already there`,
      step: 'write',
      hint: 'remove it, or give another --out',
    });
}

// Unpacked bytes waiting for gzip at most: the tar writer stops taking entries past this.
const PENDING_MAX = 8 << 20;

// A .tar.gz, streamed to disk: pack -> count -> gzip -> file. Members keep their mode and
// mtime; owners are written as 0 with no names (a user name in a header is a user name).
export async function tarGzSink(final: string): Promise<OutputSink> {
  await refuseExisting(final);
  const partial = partialName(final);
  const pack = tar.pack();
  const counter = new PassThrough();
  let entered = 0;
  let flushed = 0;
  counter.on('data', (c: Buffer) => {
    flushed += c.length;
  });
  const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
  const done = pipeline(pack, counter, createGzip({ level: 6 }), out);
  done.catch(() => undefined);
  const room = async () => {
    while (entered - flushed > PENDING_MAX)
      await Promise.race([new Promise((r) => counter.once('data', r)), done]);
  };
  const add = async (h: Partial<tar.Header> & Pick<tar.Header, 'name'>, body?: Buffer) => {
    const size = body?.length ?? 0;
    entered += 512 + Math.ceil(size / 512) * 512;
    // The file's own error (a full disk) rather than the pack's "destroyed".
    const failed = done.then(() => {
      throw new Error('the archive was closed early');
    });
    failed.catch(() => undefined);
    await Promise.race([
      failed,
      new Promise<void>((resolve, reject) => {
        const cb = (e?: Error | null) => (e ? reject(e) : resolve());
        if (body) pack.entry(h, body, cb);
        else pack.entry(h, cb);
      }),
    ]);
    await room();
  };
  const owner = { uid: 0, gid: 0, uname: '', gname: '' };
  return {
    partial,
    dir: (path, mode, mtime) => add({ name: `${path}/`, type: 'directory', mode, mtime, ...owner }),
    file: async (path, mode, mtime, pieces) => {
      const held: Buffer[] = [];
      for await (const p of pieces) held.push(p);
      await add({ name: path, type: 'file', mode, mtime, ...owner }, Buffer.concat(held));
    },
    symlink: (path, target, mtime) =>
      add({ name: path, type: 'symlink', linkname: target, mode: 0o777, mtime, ...owner }),
    hardlink: (path, target, mtime) =>
      add({ name: path, type: 'link', linkname: target, mode: 0o644, mtime, ...owner }),
    close: async () => {
      pack.finalize();
      await done;
      const fh = await open(partial, 'r');
      await fh.sync().finally(() => fh.close());
    },
    commit: async () => {
      // link(): never over an existing file, even one that appeared meanwhile.
      await link(partial, final);
      await unlink(partial);
    },
    discard: async () => {
      pack.destroy();
      await done.catch(() => undefined);
      await unlink(partial).catch(() => undefined);
    },
  };
}

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;

// A directory tree. Directories are created 0700 and get their own mode and mtime at the end
// (a read-only one would refuse its files); files are created O_EXCL|O_NOFOLLOW inside the
// fresh partial directory, links are written as links.
export async function directorySink(final: string): Promise<OutputSink> {
  await refuseExisting(final);
  const partial = partialName(final);
  await mkdir(partial, { mode: 0o700 });
  const dirs: Array<{ path: string; mode: number; mtime: Date }> = [];
  const at = (path: string) => join(partial, ...path.split('/'));
  const parent = (path: string) => mkdir(dirname(at(path)), { recursive: true, mode: 0o700 });
  return {
    partial,
    dir: async (path, mode, mtime) => {
      await mkdir(at(path), { recursive: true, mode: 0o700 });
      dirs.push({ path, mode, mtime });
    },
    file: async (path, mode, mtime, pieces) => {
      await parent(path);
      const fh = await open(at(path), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
      try {
        for await (const p of pieces) await fh.write(p);
        await fh.chmod(mode);
      } finally {
        await fh.close();
      }
      await utimes(at(path), mtime, mtime);
    },
    symlink: async (path, target, mtime) => {
      await parent(path);
      await symlink(target, at(path));
      await lutimes(at(path), mtime, mtime);
    },
    hardlink: async (path, target, mtime) => {
      await parent(path);
      await link(at(target), at(path));
      await utimes(at(path), mtime, mtime);
    },
    close: async () => {
      // Deepest first: setting a directory's mtime before its children are done would not last.
      for (const d of [...dirs].reverse()) {
        await chmod(at(d.path), d.mode | 0o700);
        await utimes(at(d.path), d.mtime, d.mtime);
      }
    },
    commit: async () => {
      await refuseExisting(final);
      await rename(partial, final);
    },
    discard: () => rm(partial, { recursive: true, force: true }),
  };
}

// One file: pieces appended as they come (a file of any size), then moved by link().
export async function singleFileSink(final: string): Promise<OutputSink> {
  await refuseExisting(final);
  const partial = partialName(final);
  const fh = await open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  let closed = false;
  let meta: { mode: number; mtime: Date } | undefined;
  const unsupported = async () => {
    throw new Error('a single file holds no other entries');
  };
  return {
    partial,
    dir: unsupported,
    symlink: unsupported,
    hardlink: unsupported,
    file: async (_path, mode, mtime, pieces) => {
      for await (const p of pieces) await fh.write(p);
      meta = { mode, mtime };
    },
    close: async () => {
      if (meta) await fh.chmod(meta.mode & 0o777);
      await fh.sync();
      await fh.close();
      closed = true;
      if (meta) await utimes(partial, meta.mtime, meta.mtime);
    },
    commit: async () => {
      await link(partial, final);
      await unlink(partial);
    },
    discard: async () => {
      if (!closed) await fh.close().catch(() => undefined);
      await unlink(partial).catch(() => undefined);
    },
  };
}
