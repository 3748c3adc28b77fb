import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import type { LabLayout } from './layout.js';
import { sys } from './sys.js';

export const NETNS_DIR = '/run/netns';

export async function netnsList(): Promise<string[]> {
  const r = await sys('ip', ['-j', 'netns', 'list'], { allowFail: true });
  if (!r.ok || !r.stdout.trim()) return [];
  try {
    return (JSON.parse(r.stdout) as Array<{ name: string }>).map((n) => n.name);
  } catch {
    return [];
  }
}

export async function linkExists(name: string, netns?: string): Promise<boolean> {
  const args = netns ? ['-n', netns, 'link', 'show', name] : ['link', 'show', name];
  return (await sys('ip', args, { allowFail: true })).ok;
}

export async function buildNetwork(layout: LabLayout): Promise<void> {
  const { bridge, bridgeAddress, prefixLen } = layout;
  if (!(await linkExists(bridge))) {
    await sys('ip', ['link', 'add', bridge, 'type', 'bridge']);
  }
  await sys('ip', ['addr', 'replace', `${bridgeAddress}/${prefixLen}`, 'dev', bridge]);
  await sys('ip', ['link', 'set', bridge, 'up']);
  // Everything in 198.18.0.0/15 that is not a lab subnet is unreachable: the
  // connected /24 is more specific, the fence catches the rest.
  await sys('ip', ['route', 'replace', 'unreachable', layout.fence]);
  // `ip -batch`: one process for the namespaces and veths of every host, then
  // one per host for its own side. An `ip` per step took 15 s for 64 hosts.
  const existing = new Set(await netnsList());
  const links = await linkNames();
  const root: string[] = [];
  for (const h of layout.hosts) {
    if (!existing.has(h.netns)) root.push(`netns add ${h.netns}`);
    if (!links.has(h.hostVeth))
      root.push(
        `link add ${h.hostVeth} type veth peer name eth0 address ${h.mac} netns ${h.netns}`,
      );
    root.push(`link set ${h.hostVeth} master ${bridge} up`);
  }
  await sys('ip', ['-batch', '-'], { input: `${root.join('\n')}\n` });
  for (const h of layout.hosts) {
    await sys('ip', ['-n', h.netns, '-batch', '-'], {
      input: [
        'link set lo up',
        `link set eth0 address ${h.mac}`,
        `addr replace ${h.address}/${prefixLen} dev eth0`,
        'link set eth0 up',
        `route replace unreachable ${layout.fence}`,
        '',
      ].join('\n'),
    });
  }
}

async function linkNames(): Promise<Set<string>> {
  const r = await sys('ip', ['-j', 'link', 'show'], { allowFail: true });
  try {
    return new Set((JSON.parse(r.stdout) as Array<{ ifname: string }>).map((l) => l.ifname));
  } catch {
    return new Set();
  }
}

// Removes the namespaces (which removes the veth peers), then the bridge. The
// fence route stays while another dropkit lab still uses the range.
export async function removeNetwork(layout: LabLayout, otherLabsUp: boolean): Promise<void> {
  const existing = new Set(await netnsList());
  const names = layout.hosts.map((h) => h.netns).filter((n) => existing.has(n));
  await killInNamespaces(names);
  const links = await linkNames();
  const batch = [
    ...names.map((n) => `netns del ${n}`),
    ...layout.hosts.filter((h) => links.has(h.hostVeth)).map((h) => `link del ${h.hostVeth}`),
    ...(links.has(layout.bridge) ? [`link del ${layout.bridge}`] : []),
  ];
  // -force: one that is already gone must not stop the rest.
  if (batch.length)
    await sys('ip', ['-force', '-batch', '-'], { input: `${batch.join('\n')}\n`, allowFail: true });
  if (!otherLabsUp)
    await sys('ip', ['route', 'del', 'unreachable', layout.fence], { allowFail: true });
}

// Kills whatever runs in these namespaces (sshd, an iperf3 of a test that
// failed). The processes are found by their namespace's inode in /proc, not
// with one `ip netns pids` per namespace.
export async function killInNamespaces(names: readonly string[]): Promise<void> {
  if (!names.length) return;
  const inodes = new Set<string>();
  for (const n of names) {
    const s = await stat(`${NETNS_DIR}/${n}`).catch(() => undefined);
    if (s) inodes.add(`net:[${s.ino}]`);
  }
  const pids: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const ns = await readlink(`/proc/${pid}/ns/net`).catch(() => '');
    if (inodes.has(ns)) pids.push(pid);
  }
  if (pids.length) await sys('kill', ['-KILL', ...pids], { allowFail: true });
}

export async function pidAlive(pid: number | undefined, needle: string): Promise<boolean> {
  if (!pid) return false;
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes(needle);
  } catch {
    return false;
  }
}
