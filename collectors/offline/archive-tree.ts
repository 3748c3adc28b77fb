import { stat } from 'node:fs/promises';
import { type FileTree, resolveIn, type TreeNode, type TreeOptions } from './file-tree.js';
import { READ_LIMITS } from './limits.js';
import { shown } from './shown.js';
import { readTar, type TarEntry } from './tar-read.js';

interface ArchiveNode extends TreeNode {
  data?: Buffer;
}

// An entry's name as a path inside the archive, or undefined when it could
// point anywhere else (absolute, or with a `..` segment). `./a//b` is `a/b`.
export function archivePath(name: string): string | undefined {
  if (name.startsWith('/') || name.includes('\0')) return undefined;
  const segs = name.split('/').filter((s) => s !== '' && s !== '.');
  return segs.includes('..') ? undefined : segs.join('/');
}

// The whole archive, read once: the files `wanted` names (bytes in memory),
// every directory and link (names only), nothing else. Links are resolved
// here, in memory, and never leave the archive.
export async function readArchiveTree(
  file: string,
  wanted: (path: string) => boolean,
  o: TreeOptions = {},
): Promise<FileTree> {
  const limits = o.limits ?? READ_LIMITS;
  const warn = o.warn ?? (() => undefined);
  const nodes = new Map<string, ArchiveNode>([['', { kind: 'dir' }]]);
  const children = new Map<string, Set<string>>();
  const put = (path: string, node: ArchiveNode) => {
    const segs = path.split('/');
    for (let i = 1; i <= segs.length; i++) {
      const parent = segs.slice(0, i - 1).join('/');
      const here = segs.slice(0, i).join('/');
      const names = children.get(parent) ?? new Set<string>();
      children.set(parent, names.add(segs[i - 1]!));
      if (i < segs.length && !nodes.has(here)) nodes.set(here, { kind: 'dir' });
    }
    nodes.set(path, node);
  };
  const ignored = new Map<string, number>();
  const ignore = (why: string) => ignored.set(why, (ignored.get(why) ?? 0) + 1);
  const onEntry = (e: TarEntry, data: Buffer | undefined) => {
    const path = archivePath(e.name);
    if (path === undefined) return ignore('names that are absolute or contain ..');
    if (path === '') return; // `./`, the root itself
    const mtime = e.mtime ? { mtime: e.mtime } : {};
    if (e.type === 'file' || e.type === 'contiguous-file') {
      if (data) put(path, { kind: 'file', data, ...mtime });
      // Skipped, but its directories exist (a sos report's sos_commands/).
      else if (path.includes('/') && !nodes.has(dirOf(path))) put(dirOf(path), { kind: 'dir' });
    } else if (e.type === 'directory') put(path, { kind: 'dir', ...mtime });
    else if (e.type === 'symlink') put(path, { kind: 'link', target: e.linkname ?? '', ...mtime });
    else if (e.type === 'link') {
      // A hard link names an earlier member of the same archive, nothing else.
      const target = nodes.get(archivePath(e.linkname ?? '') ?? '\0');
      if (target?.kind === 'file') put(path, target);
      else if (wanted(path)) ignore('hard links to a file that is not in the archive');
    } else ignore(`${e.type} entries`);
  };
  const keep = (e: TarEntry) => {
    const path = archivePath(e.name);
    return path !== undefined && wanted(path);
  };
  await readTar(file, {
    label: file,
    keep,
    onEntry,
    limits,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  for (const [why, n] of ignored) warn(`${file}: ignored ${n} ${why}`);
  const fileMtime = (await stat(file)).mtime;
  return archiveTree(file, nodes, children, { hops: limits.linkHops, warn, fileMtime });
}

function archiveTree(
  file: string,
  nodes: Map<string, ArchiveNode>,
  children: Map<string, Set<string>>,
  o: { hops: number; warn: (line: string) => void; fileMtime: Date },
): FileTree {
  const warned = new Set<string>();
  const show = (rel: string) => `${file}: ${shown(rel || '.')}`;
  const resolve = (rel: string) =>
    resolveIn(rel, {
      lstat: async (p) => nodes.get(p),
      hops: o.hops,
      root: 'archive',
      warn: (line) => {
        if (!warned.has(line)) o.warn(line);
        warned.add(line);
      },
      show,
    });
  return {
    show,
    kind: async (rel) => {
      const k = (await resolve(rel))?.node.kind;
      return k === 'file' || k === 'dir' ? k : undefined;
    },
    list: async (rel) => {
      const r = await resolve(rel);
      return r?.node.kind === 'dir' ? [...(children.get(r.path) ?? [])].sort() : [];
    },
    read: async (rel) => {
      const r = await resolve(rel);
      return r?.node.kind === 'file' ? (r.node as ArchiveNode).data : undefined;
    },
    mtime: async (rel) => {
      const r = await resolve(rel);
      return r ? (nodes.get(r.path)?.mtime ?? o.fileMtime) : undefined;
    },
  };
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}
