// Pure description of the pods on a lab host, as a Kubernetes node with
// Cilium or Azure CNI host routing lays them out: each pod is a network
// namespace whose eth0 is the peer of a host-side `lxc<hex>` veth; the host
// routes each pod address (/32) to its lxc, and every other host's pod range
// to that host. Pods have no address on the host side: their only route is to
// the lab range through a link-local gateway whose neighbour entry is fixed to
// the lxc's MAC (what Cilium's eBPF answers on a real node), so no proxy ARP
// and no sysctl beyond forwarding in the host's own namespace.
import { createHash } from 'node:crypto';
import type { LabHost, LabLayout } from './layout.js';

export const MAX_LAB_PODS = 250;
// Pod ranges: host i of a lab owns 198.19.i.0/24, inside the lab's fence
// (198.18.0.0/15). Pod addresses exist only inside the lab's namespaces
// (the bridge carries them at layer 2), so two labs up at once never meet.
export const POD_GATEWAY = '169.254.1.1';

export interface LabPod {
  // The host's alias and index: `vmB-p7`.
  name: string;
  netns: string;
  // Host side, in the host's namespace: `lxc` and 12 hex digits, as Cilium names it.
  lxc: string;
  lxcMac: string;
  podMac: string;
  address: string;
}

export function podRange(hostIndex: number): string {
  return `198.19.${hostIndex}.0/24`;
}

function mac(kind: number, hostIndex: number, pod: number): string {
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return `02:dc:${hex(kind)}:${hex(hostIndex)}:${hex(pod >> 8)}:${hex(pod & 255)}`;
}

export function podsOf(layout: LabLayout, hostIndex: number): LabPod[] {
  const host: LabHost | undefined = layout.hosts[hostIndex];
  const n = layout.podsPerHost ?? 0;
  if (!host || !n) return [];
  const pods: LabPod[] = [];
  for (let p = 0; p < n; p++) {
    const netns = `${host.netns}-p${p}`;
    pods.push({
      name: `${host.alias}-p${p}`,
      netns,
      lxc: `lxc${createHash('sha256').update(netns).digest('hex').slice(0, 12)}`,
      lxcMac: mac(1, hostIndex, p),
      podMac: mac(2, hostIndex, p),
      address: `198.19.${hostIndex}.${p + 2}`,
    });
  }
  return pods;
}

// `ip -batch` lines, in the host's namespace: the lxc pairs (the pod side
// created straight into its namespace), their host routes, and the routes to
// every other host's pods.
export function hostPodBatch(layout: LabLayout, hostIndex: number): string {
  const lines: string[] = [];
  for (const pod of podsOf(layout, hostIndex)) {
    lines.push(
      `link add ${pod.lxc} address ${pod.lxcMac} type veth peer name eth0 address ${pod.podMac} netns ${pod.netns}`,
      `link set ${pod.lxc} up`,
      `route replace ${pod.address}/32 dev ${pod.lxc} scope link`,
    );
  }
  layout.hosts.forEach((other, j) => {
    if (j !== hostIndex) lines.push(`route replace ${podRange(j)} via ${other.address} dev eth0`);
  });
  return `${lines.join('\n')}\n`;
}

// `ip -batch` lines inside one pod's namespace.
export function podBatch(layout: LabLayout, pod: LabPod): string {
  return [
    'link set lo up',
    'link set eth0 up',
    `addr replace ${pod.address}/32 dev eth0`,
    `neigh replace ${POD_GATEWAY} lladdr ${pod.lxcMac} dev eth0 nud permanent`,
    `route replace ${POD_GATEWAY} dev eth0 scope link`,
    // Only the lab's range is reachable from a pod: nothing can leave the machine.
    `route replace ${layout.fence} via ${POD_GATEWAY} dev eth0`,
    '',
  ].join('\n');
}
