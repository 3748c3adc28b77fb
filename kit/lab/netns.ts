import { readFile } from 'node:fs/promises';
import type { LabLayout } from './layout.js';
import { sys } from './sys.js';

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
  const existing = new Set(await netnsList());
  for (const h of layout.hosts) {
    if (!existing.has(h.netns)) await sys('ip', ['netns', 'add', h.netns]);
    if (!(await linkExists(h.hostVeth))) {
      await sys('ip', [
        'link',
        'add',
        h.hostVeth,
        'type',
        'veth',
        'peer',
        'name',
        'eth0',
        'netns',
        h.netns,
      ]);
    }
    await sys('ip', ['link', 'set', h.hostVeth, 'master', bridge, 'up']);
    await sys('ip', ['-n', h.netns, 'link', 'set', 'lo', 'up']);
    await sys('ip', ['-n', h.netns, 'link', 'set', 'eth0', 'address', h.mac]);
    await sys('ip', ['-n', h.netns, 'addr', 'replace', `${h.address}/${prefixLen}`, 'dev', 'eth0']);
    await sys('ip', ['-n', h.netns, 'link', 'set', 'eth0', 'up']);
    await sys('ip', ['-n', h.netns, 'route', 'replace', 'unreachable', layout.fence]);
  }
}

// Removes the namespaces (which removes the veth peers), then the bridge. The
// fence route stays while another dropkit lab still uses the range.
export async function removeNetwork(layout: LabLayout, otherLabsUp: boolean): Promise<void> {
  const existing = new Set(await netnsList());
  for (const h of layout.hosts) {
    if (existing.has(h.netns)) {
      const pids = (await sys('ip', ['netns', 'pids', h.netns], { allowFail: true })).stdout
        .split(/\s+/)
        .filter(Boolean);
      if (pids.length) await sys('kill', ['-KILL', ...pids], { allowFail: true });
      await sys('ip', ['netns', 'del', h.netns], { allowFail: true });
    }
    if (await linkExists(h.hostVeth))
      await sys('ip', ['link', 'del', h.hostVeth], { allowFail: true });
  }
  if (await linkExists(layout.bridge))
    await sys('ip', ['link', 'del', layout.bridge], { allowFail: true });
  if (!otherLabsUp)
    await sys('ip', ['route', 'del', 'unreachable', layout.fence], { allowFail: true });
}

export async function pidAlive(pid: number | undefined, needle: string): Promise<boolean> {
  if (!pid) return false;
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes(needle);
  } catch {
    return false;
  }
}
