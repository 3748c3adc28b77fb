// Choose the receiver's data-plane address: the one the sender routes to.
// Pure; `ip route get` on the sender confirms it (data-plane.ts).

export interface HostAddress {
  ifname: string;
  family: 'inet' | 'inet6';
  cidr: string;
}

function v4ToInt(a: string): number | undefined {
  const p = a.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return undefined;
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
}

function sameSubnet(a: string, b: string): boolean {
  const [ia, la] = a.split('/');
  const [ib] = b.split('/');
  const x = v4ToInt(ia ?? '');
  const y = v4ToInt(ib ?? '');
  const len = Number(la);
  if (x === undefined || y === undefined || !Number.isInteger(len)) return false;
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return (x & mask) === (y & mask);
}

// Prefer an IPv4 address of the receiver on a subnet the sender is also on,
// then any IPv4, then IPv6. Container bridges (docker0, cni0) come last.
export function chooseServerAddress(
  sender: HostAddress[],
  receiver: HostAddress[],
): HostAddress | undefined {
  const v4 = receiver.filter((a) => a.family === 'inet');
  const infra = (a: HostAddress) => /^(docker|cni|cilium|flannel|kube|virbr|br-)/.test(a.ifname);
  const shared = v4.filter((r) =>
    sender.some((s) => s.family === 'inet' && sameSubnet(s.cidr, r.cidr)),
  );
  return shared.find((a) => !infra(a)) ?? v4.find((a) => !infra(a)) ?? v4[0] ?? receiver[0];
}

export function bareAddress(a: HostAddress): string {
  return a.cidr.split('/')[0]!;
}
