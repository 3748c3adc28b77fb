import type { CollectorSpec } from './spec.js';

// Evidence kept raw for the support engineer; dropkit does not interpret it
// (yet). A missing tool or a driver that does not support the query is
// recorded in the manifest with the reason.

// A source kept raw, in one declaration. What it leaves out follows from the
// rest: it runs per interface when its raw path names the interface, and a
// command's program is the tool it needs.
export function rawOnly(
  spec: Omit<CollectorSpec, 'scope' | 'model'> & Partial<Pick<CollectorSpec, 'scope'>>,
): CollectorSpec {
  const s = spec.source;
  return {
    scope: spec.rawPath.includes('{iface}') ? 'per-interface' : 'global',
    ...(s.kind === 'command' && s.argv[0] ? { tool: s.argv[0] } : {}),
    ...spec,
  };
}

export const ipAddrCollector = rawOnly({
  id: 'ip_addr',
  description: 'addresses (ip -j addr)',
  source: { kind: 'command', argv: ['ip', '-j', 'addr'] },
  rawPath: 'net/ip-j-addr.json',
});

export const ipRouteCollector = rawOnly({
  id: 'ip_route',
  description: 'routes (ip -j route)',
  source: { kind: 'command', argv: ['ip', '-j', 'route'] },
  rawPath: 'net/ip-j-route.json',
});

export const ethtoolFeaturesCollector = rawOnly({
  id: 'ethtool_k',
  description: 'offload features: GRO, LRO, checksum (ethtool -k)',
  source: { kind: 'command', argv: ['ethtool', '-k', '{iface}'] },
  skipLoopback: true,
  devicesOnly: true,
  rawPath: 'ethtool/{iface}/ethtool-k.txt',
  sos: ['sos_commands/networking/ethtool_-k_{iface}'],
});

export const ethtoolCoalesceCollector = rawOnly({
  id: 'ethtool_c',
  description: 'interrupt coalescing (ethtool -c)',
  source: { kind: 'command', argv: ['ethtool', '-c', '{iface}'] },
  skipLoopback: true,
  devicesOnly: true,
  rawPath: 'ethtool/{iface}/ethtool-c.txt',
  sos: ['sos_commands/networking/ethtool_-c_{iface}'],
});
