import { type FileTree, joinRel } from './file-tree.js';

// The paths under `root` that a layout path can name: itself, or, with
// `{iface}` (one segment), one per name listed in its directory. Asking for
// exactly these, instead of walking the whole input, reads no more of it
// than the evidence. Sorted, so a directory and its tarball give one order.
export async function matchingPaths(
  tree: FileTree,
  root: string,
  pattern: string,
): Promise<string[]> {
  const at = pattern.indexOf('{iface}');
  if (at < 0) return [pattern];
  const slash = pattern.lastIndexOf('/', at);
  const dir = pattern.slice(0, slash + 1).replace(/\/$/, '');
  const rest = pattern.slice(at + '{iface}'.length);
  const end = rest.indexOf('/');
  const [prefix, suffix, below] = [
    pattern.slice(slash + 1, at),
    end < 0 ? rest : rest.slice(0, end),
    end < 0 ? '' : rest.slice(end),
  ];
  const names = await tree.list(joinRel(root, dir));
  return names
    .filter(
      (n) => n.length > prefix.length + suffix.length && n.startsWith(prefix) && n.endsWith(suffix),
    )
    .sort()
    .map((n) => `${joinRel(dir, n)}${below}`);
}
