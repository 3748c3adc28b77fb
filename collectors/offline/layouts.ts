import { COLLECTORS } from '../registry.js';

// Where each collector's raw output lives in the directory layouts that
// `collect analyze` reads. Pure tables; the loader does the I/O.

export interface LayoutEntry {
  id: string;
  // A path relative to the root; `{iface}` matches one path segment.
  path: string;
}

// A sos report (sos_commands/… and copies of /proc and /etc).
export const SOS_LAYOUT: LayoutEntry[] = [
  { id: 'softnet_stat', path: 'proc/net/softnet_stat' },
  { id: 'proc_net_dev', path: 'proc/net/dev' },
  { id: 'snmp', path: 'proc/net/snmp' },
  { id: 'netstat', path: 'proc/net/netstat' },
  { id: 'interrupts', path: 'proc/interrupts' },
  { id: 'softirqs', path: 'proc/softirqs' },
  { id: 'uptime', path: 'proc/uptime' },
  // Newer sos names it with -d; either gives the text layout.
  { id: 'ip_link', path: 'sos_commands/networking/ip_-s_-d_link' },
  { id: 'ip_link', path: 'sos_commands/networking/ip_-s_link' },
  { id: 'ip_link', path: 'sos_commands/networking/ip_-s_-s_link' },
  { id: 'sysctl', path: 'sos_commands/kernel/sysctl_-a' },
  { id: 'uname', path: 'sos_commands/kernel/uname_-a' },
  { id: 'uname', path: 'uname' },
  { id: 'hostname', path: 'sos_commands/general/hostname' },
  { id: 'hostname', path: 'hostname' },
  { id: 'os_release', path: 'etc/os-release' },
  { id: 'etc_hosts', path: 'etc/hosts' },
  { id: 'resolv_conf', path: 'etc/resolv.conf' },
  { id: 'tc_qdisc', path: 'sos_commands/networking/tc_-s_qdisc_show' },
  { id: 'ethtool_S', path: 'sos_commands/networking/ethtool_-S_{iface}' },
  { id: 'ethtool_g', path: 'sos_commands/networking/ethtool_-g_{iface}' },
  { id: 'ethtool_i', path: 'sos_commands/networking/ethtool_-i_{iface}' },
  { id: 'ethtool_l', path: 'sos_commands/networking/ethtool_-l_{iface}' },
  { id: 'ethtool_k', path: 'sos_commands/networking/ethtool_-k_{iface}' },
  { id: 'ethtool_c', path: 'sos_commands/networking/ethtool_-c_{iface}' },
];

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
  const exact = new Set(['snapshot.json']);
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
