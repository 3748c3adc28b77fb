import { COLLECTORS } from '../registry.js';

// Where each collector's raw output lives in the directory layouts that
// `collect analyze` reads. Pure tables; the loader does the I/O.

export interface LayoutEntry {
  id: string;
  // A path relative to the root; `{iface}` matches one path segment.
  path: string;
}

// A sos report (sos_commands/… and copies of /proc and /etc): each
// collector's own `sos` paths, in registry order (the first present wins).
export const SOS_LAYOUT: LayoutEntry[] = COLLECTORS.flatMap((c) =>
  (c.sos ?? []).map((path) => ({ id: c.id, path })),
);

// Matches a relative path against a layout entry; returns the iface if any.
export function matchLayout(entry: LayoutEntry, rel: string): { iface?: string } | undefined {
  if (!entry.path.includes('{iface}')) return entry.path === rel ? {} : undefined;
  const [pre, post] = entry.path.split('{iface}') as [string, string];
  if (!rel.startsWith(pre) || !rel.endsWith(post)) return undefined;
  const iface = rel.slice(pre.length, rel.length - post.length);
  return iface && !iface.includes('/') ? { iface } : undefined;
}

// A dropkit snapshot's raw/ (also each host's in a bundle): the collectors' own paths.
export function dropkitLayout(): LayoutEntry[] {
  return COLLECTORS.map((c) => ({ id: c.id, path: c.rawPath }));
}

// Which files of an archive are worth keeping in memory: those whose name is
// the last segment of a layout path. By name rather than by full path, so a
// file reached through a link (a sos report's proc/net -> self/net) is kept
// whatever the links are; everything else streams past unread.
export function evidenceFileName(): (path: string) => boolean {
  // snapshot.json and a sos report's manifest.json say when it was taken.
  const exact = new Set(['snapshot.json', 'manifest.json']);
  const patterns: Array<[pre: string, post: string]> = [];
  for (const e of [...SOS_LAYOUT, ...dropkitLayout()]) {
    const last = e.path.slice(e.path.lastIndexOf('/') + 1);
    if (!last.includes('{iface}')) exact.add(last);
    else patterns.push(last.split('{iface}') as [string, string]);
  }
  return (path) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    return (
      exact.has(name) ||
      patterns.some(
        ([pre, post]) =>
          name.length > pre.length + post.length && name.startsWith(pre) && name.endsWith(post),
      )
    );
  };
}
