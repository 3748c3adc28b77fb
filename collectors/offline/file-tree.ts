import type { ReadLimits } from './limits.js';
import { quoted } from './shown.js';

// What `collect analyze` reads its input through: an archive held in memory
// (archive-tree.ts) or a directory on disk (disk-tree.ts). Paths are
// relative to the input's root, `/`-separated, '' for the root itself.
// Symbolic links are resolved by the tree, never by the OS, and only within
// the root: a link that is absolute or climbs out of it is ignored with a
// warning, so an input can never make dropkit read this machine's files.
export interface FileTree {
  // How messages name a path of this tree.
  show(rel: string): string;
  kind(rel: string): Promise<'file' | 'dir' | undefined>;
  // The names in a directory, sorted; [] when it is not one.
  list(rel: string): Promise<string[]>;
  // A regular file's bytes; undefined for anything else or nothing.
  read(rel: string): Promise<Buffer | undefined>;
  mtime(rel: string): Promise<Date | undefined>;
}

// How a tree is read: Ctrl-C, where warnings go, and the limits.
export interface TreeOptions {
  signal?: AbortSignal;
  warn?: (line: string) => void;
  limits?: ReadLimits;
}

// One path as lstat sees it: a link is not followed.
export interface TreeNode {
  kind: 'file' | 'dir' | 'link' | 'other';
  // A link's target, as written.
  target?: string;
  mtime?: Date;
}

export interface ResolveOptions {
  lstat: (rel: string) => Promise<TreeNode | undefined>;
  hops: number;
  // 'archive' or 'directory', for the warning.
  root: string;
  warn: (line: string) => void;
  show: (rel: string) => string;
}

export function joinRel(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

// Follows links one segment at a time, as the kernel does, but inside the
// root only. Returns the path with every link replaced, and what it is.
export async function resolveIn(
  rel: string,
  o: ResolveOptions,
): Promise<{ path: string; node: TreeNode } | undefined> {
  const todo = rel.split('/').reverse();
  const at: string[] = [];
  let node: TreeNode = { kind: 'dir' };
  let hops = 0;
  let via: { path: string; target: string } | undefined;
  const refuse = (why: string) => {
    if (via) o.warn(`${o.show(via.path)}: a link to ${quoted(via.target)} ${why}: ignored`);
    return undefined;
  };
  while (todo.length) {
    const seg = todo.pop()!;
    if (seg === '' || seg === '.') continue;
    if (node.kind !== 'dir') return undefined;
    if (seg === '..') {
      if (!at.length) return refuse(`leads out of the ${o.root}`);
      at.pop();
      node = { kind: 'dir' };
      continue;
    }
    const path = joinRel(...at, seg);
    const n = await o.lstat(path);
    if (!n) return undefined;
    if (n.kind !== 'link') {
      at.push(seg);
      node = n;
      continue;
    }
    via = { path, target: n.target ?? '' };
    if (++hops > o.hops) return refuse(`is one of more than ${o.hops} links in a row (a loop?)`);
    if (via.target.startsWith('/')) return refuse(`is absolute, outside the ${o.root}`);
    todo.push(...via.target.split('/').reverse());
  }
  return { path: at.join('/'), node };
}
