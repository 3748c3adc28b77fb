import { isValidIfaceName } from '../../collectors/iface-name.js';
import { DropkitError } from '../../kit/errors.js';
import type { Transport } from '../../kit/transport/types.js';

// `repro run --pod`: iperf3 runs inside a pod on each host, as the seed's
// traffic did (pod to pod through the hosts' veths and their backlogs). A
// pod is found as a node shows it: a named network namespace (containerd
// makes /run/netns/cni-…; the lab dk-vmB-p0) whose end of a veth pair is in
// the host's namespace, `link_netnsid` on the host side naming it. The first
// by the host side's ifindex is taken: the oldest pod. Reading other
// namespaces and running in one needs root (sudo -n).

export interface Pod {
  netns: string;
  // The host-side veth (lxc…): where the pod's backlog drops show, as TX
  // dropped (veth_xmit).
  hostVeth: string;
  address: string;
}

const SEP = '--dropkit-pod--';
const LIST_SH = `ip -j netns list 2>/dev/null; echo '${SEP}'; ip -j link show type veth 2>/dev/null`;

// Names the kernel and iproute2 accept for a namespace (a file under /run/netns).
const NETNS_NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;

// Pure: the first pod from `ip -j netns list` and `ip -j link show type veth`.
export function firstPod(text: string): { netns: string; hostVeth: string } | undefined {
  const [ns, links] = text.split(`${SEP}\n`);
  const byId = new Map<number, string>();
  for (const n of parseArray(ns))
    if (typeof n['name'] === 'string' && typeof n['id'] === 'number' && NETNS_NAME.test(n['name']))
      byId.set(n['id'], n['name']);
  const veths = parseArray(links)
    .filter(
      (l) =>
        typeof l['ifname'] === 'string' &&
        isValidIfaceName(l['ifname']) &&
        typeof l['ifindex'] === 'number' &&
        typeof l['link_netnsid'] === 'number' &&
        byId.has(l['link_netnsid']),
    )
    .sort((a, b) => (a['ifindex'] as number) - (b['ifindex'] as number));
  const v = veths[0];
  return v
    ? { netns: byId.get(v['link_netnsid'] as number)!, hostVeth: v['ifname'] as string }
    : undefined;
}

// Pure: the pod's first global IPv4 address from `ip -j -4 addr`.
export function podAddress(text: string): string | undefined {
  for (const i of parseArray(text)) {
    const infos = Array.isArray(i['addr_info']) ? (i['addr_info'] as unknown[]) : [];
    for (const a of infos) {
      if (typeof a !== 'object' || a === null) continue;
      const r = a as Record<string, unknown>;
      if (r['family'] === 'inet' && r['scope'] === 'global' && typeof r['local'] === 'string')
        if (/^\d{1,3}(\.\d{1,3}){3}$/.test(r['local'])) return r['local'];
    }
  }
  return undefined;
}

function parseArray(text: string | undefined): Record<string, unknown>[] {
  try {
    const v: unknown = JSON.parse(text?.trim() || '[]');
    return Array.isArray(v)
      ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object')
      : [];
  } catch {
    return [];
  }
}

// The first pod of the host behind `t`, with its address.
export async function findPod(t: Transport, signal: AbortSignal): Promise<Pod> {
  const step = 'pod';
  const fail = (message: string, hint: string) =>
    new DropkitError({ code: 'COMMAND_FAILED', message, host: t.info.name, step, hint });
  const listed = await t.exec({ script: LIST_SH, root: true, timeoutMs: 5000, signal, step });
  const pod = firstPod(listed.stdout.toString('utf8'));
  if (!pod)
    throw fail(
      'no pod found: no named network namespace behind a veth of this host',
      'is this a Kubernetes node whose runtime names pod namespaces (/run/netns)? In the lab: repro lab up --pods 1',
    );
  const addr = await t.exec({
    argv: ['ip', '-n', pod.netns, '-j', '-4', 'addr', 'show'],
    root: true,
    timeoutMs: 5000,
    signal,
    step,
  });
  const address = podAddress(addr.stdout.toString('utf8'));
  if (!address)
    throw fail(
      `pod ${pod.netns} has no global IPv4 address`,
      'pick another host, or run without --pod',
    );
  return { ...pod, address };
}

// A command run inside the pod: `ip netns exec` enters its namespace and execs
// the command itself, so the process signalled and swept is the command's.
export function inPod(pod: Pod | undefined, argv: readonly string[]): readonly string[] {
  return pod ? ['ip', 'netns', 'exec', pod.netns, ...argv] : argv;
}
