import { readdir } from 'node:fs/promises';
import type { LabLayout } from './layout.js';
import { killInNamespaces, NETNS_DIR } from './netns.js';
import { hostPodBatch, podBatch, podsOf } from './pod-layout.js';
import { sys } from './sys.js';

// Builds and removes the pods of pod-layout.ts. `ip -batch` keeps it to a
// handful of processes per host plus one per pod (a pod's own settings need
// its namespace): 100 pods on each of two hosts come up in about 2 s, where
// one `ip` per step would take 1,600 of them.

export async function buildPods(layout: LabLayout, log: (l: string) => void): Promise<void> {
  if (!layout.podsPerHost) return;
  const all = layout.hosts.flatMap((_, i) => podsOf(layout, i));
  log(`creating ${all.length} pods (${layout.podsPerHost} per host)`);
  const have = new Set(await readdir(NETNS_DIR).catch(() => [] as string[]));
  const add = all.filter((p) => !have.has(p.netns)).map((p) => `netns add ${p.netns}\n`);
  if (add.length) await sys('ip', ['-batch', '-'], { input: add.join('') });
  for (let i = 0; i < layout.hosts.length; i++) {
    const host = layout.hosts[i]!;
    // Forwarding in the host's own namespace only: pods reach the bridge
    // through it, as on a node.
    await sys('ip', ['netns', 'exec', host.netns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    await sys('ip', ['-n', host.netns, '-force', '-batch', '-'], {
      input: hostPodBatch(layout, i),
    });
    for (const pod of podsOf(layout, i))
      await sys('ip', ['-n', pod.netns, '-batch', '-'], { input: podBatch(layout, pod) });
  }
}

// The pod namespaces of this lab, whatever its recorded size: a crash halfway
// through `up` leaves some that the state does not list.
export async function podNamespaces(layout: LabLayout): Promise<string[]> {
  const hosts = new Set(layout.hosts.map((h) => h.netns));
  return (await readdir(NETNS_DIR).catch(() => [] as string[])).filter((n) => {
    const m = /^(.*)-p\d+$/.exec(n);
    return !!m && hosts.has(m[1]!);
  });
}

// Kills whatever runs in the pods (an iperf3 of a test that failed), then
// deletes them; each pod's eth0 takes its lxc peer with it.
export async function removePods(layout: LabLayout): Promise<void> {
  const names = await podNamespaces(layout);
  if (!names.length) return;
  await killInNamespaces(names);
  await sys('ip', ['-force', '-batch', '-'], {
    input: names.map((n) => `netns del ${n}\n`).join(''),
    allowFail: true,
  });
}
