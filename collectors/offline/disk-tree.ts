import { constants } from 'node:fs';
import { type FileHandle, lstat, open, opendir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DropkitError } from '../../kit/errors.js';
import { thousands } from '../../kit/thousands.js';
import { type FileTree, resolveIn, type TreeNode, type TreeOptions } from './file-tree.js';
import { READ_LIMITS, type ReadLimits, sizeText } from './limits.js';
import { abortedError, limitError } from './read-errors.js';
import { shown } from './shown.js';

// A FIFO opens without blocking and is then refused by fstat; a link in the
// last segment fails to open (the tree has already resolved every link).
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export function diskTree(root: string, o: TreeOptions = {}): FileTree {
  return new DiskTree(root, o);
}

// A directory on disk, read as an archive would be: lstat only, links
// resolved within `root`, regular files only, with the same limits.
class DiskTree implements FileTree {
  private readonly limits: ReadLimits;
  private readonly warned = new Set<string>();
  private listed = 0;
  private kept = 0;

  constructor(
    private readonly root: string,
    private readonly o: TreeOptions,
  ) {
    this.limits = o.limits ?? READ_LIMITS;
  }

  show(rel: string): string {
    return shown(rel ? join(this.root, rel) : this.root);
  }

  async kind(rel: string): Promise<'file' | 'dir' | undefined> {
    const k = (await this.resolve(rel))?.node.kind;
    return k === 'file' || k === 'dir' ? k : undefined;
  }

  async mtime(rel: string): Promise<Date | undefined> {
    const r = await this.resolve(rel);
    return r ? (r.node.mtime ?? (await this.lstat(r.path))?.mtime) : undefined;
  }

  async list(rel: string): Promise<string[]> {
    const r = await this.resolve(rel);
    if (r?.node.kind !== 'dir') return [];
    const names: string[] = [];
    try {
      for await (const d of await opendir(this.full(r.path))) {
        if (++this.listed > this.limits.entries)
          throw limitError(
            this.root,
            `holds more than ${thousands(this.limits.entries)} names to look at`,
          );
        names.push(d.name);
      }
    } catch (e) {
      if (e instanceof DropkitError) throw e;
      return this.unreadable(r.path, e) ?? [];
    }
    this.checkAbort();
    return names.sort();
  }

  async read(rel: string): Promise<Buffer | undefined> {
    const r = await this.resolve(rel);
    if (r?.node.kind === 'other') this.warn(`${this.show(r.path)}: not a regular file: skipped`);
    if (r?.node.kind !== 'file') return undefined;
    let fh: FileHandle;
    try {
      fh = await open(this.full(r.path), OPEN_FLAGS);
    } catch (e) {
      return this.unreadable(r.path, e);
    }
    try {
      if (!(await fh.stat()).isFile()) return undefined;
      const { fileBytes, keptBytes } = this.limits;
      const bytes = await readCapped(fh, fileBytes, () =>
        limitError(
          this.root,
          `${shown(r.path)} is over the limit of ${sizeText(fileBytes)} for one file`,
        ),
      );
      this.kept += bytes.length;
      if (this.kept > keptBytes)
        throw limitError(
          this.root,
          `the files to read add up to more than ${sizeText(keptBytes)} (the limit for one input)`,
        );
      this.checkAbort();
      return bytes;
    } finally {
      await fh.close();
    }
  }

  private full(rel: string): string {
    return rel ? join(this.root, rel) : this.root;
  }

  private resolve(rel: string) {
    return resolveIn(rel, {
      lstat: (p) => this.lstat(p),
      hops: this.limits.linkHops,
      root: 'directory',
      warn: (line) => this.warn(line),
      show: (p) => this.show(p),
    });
  }

  private async lstat(rel: string): Promise<TreeNode | undefined> {
    this.checkAbort();
    try {
      const st = await lstat(this.full(rel));
      if (st.isSymbolicLink())
        return { kind: 'link', target: await readlink(this.full(rel)), mtime: st.mtime };
      return { kind: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other', mtime: st.mtime };
    } catch (e) {
      return this.unreadable(rel, e);
    }
  }

  private warn(line: string): void {
    if (!this.warned.has(line)) this.o.warn?.(line);
    this.warned.add(line);
  }

  private unreadable(rel: string, e: unknown): undefined {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      this.warn(`${this.show(rel)}: cannot read (${code ?? String(e)}): skipped`);
    return undefined;
  }

  private checkAbort(): void {
    if (this.o.signal?.aborted) throw abortedError(this.root);
  }
}

// Reads to the end, but never more than `max` bytes: a file's size may lie
// (procfs, a file still growing), so the cap is on what is read.
async function readCapped(fh: FileHandle, max: number, tooBig: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(1 << 16, max + 1 - total));
    const { bytesRead } = await fh.read(buf, 0, buf.length, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > max) throw tooBig();
    chunks.push(buf.subarray(0, bytesRead));
  }
  return Buffer.concat(chunks, total);
}
