import type { CollectorSpec } from './spec.js';

// Evidence kept raw for the support engineer; dropkit does not interpret it
// (yet). A missing tool or a driver that does not support the query is
// recorded in the manifest with the reason.

export const ipAddrCollector: CollectorSpec = {
  id: 'ip_addr',
  description: 'addresses (ip -j addr)',
  source: { kind: 'command', argv: ['ip', '-j', 'addr'] },
  scope: 'global',
  tool: 'ip',
  rawPath: 'net/ip-j-addr.json',
};

export const ipRouteCollector: CollectorSpec = {
  id: 'ip_route',
  description: 'routes (ip -j route)',
  source: { kind: 'command', argv: ['ip', '-j', 'route'] },
  scope: 'global',
  tool: 'ip',
  rawPath: 'net/ip-j-route.json',
};

export const tcQdiscCollector: CollectorSpec = {
  id: 'tc_qdisc',
  description: 'queueing disciplines with drop and overlimit counters (tc -s qdisc)',
  source: { kind: 'command', argv: ['tc', '-s', 'qdisc', 'show'] },
  scope: 'global',
  tool: 'tc',
  rawPath: 'net/tc-s-qdisc.txt',
};

export const ethtoolFeaturesCollector: CollectorSpec = {
  id: 'ethtool_k',
  description: 'offload features: GRO, LRO, checksum (ethtool -k)',
  source: { kind: 'command', argv: ['ethtool', '-k', '{iface}'] },
  scope: 'per-interface',
  tool: 'ethtool',
  skipLoopback: true,
  devicesOnly: true,
  rawPath: 'ethtool/{iface}/ethtool-k.txt',
};

export const ethtoolCoalesceCollector: CollectorSpec = {
  id: 'ethtool_c',
  description: 'interrupt coalescing (ethtool -c)',
  source: { kind: 'command', argv: ['ethtool', '-c', '{iface}'] },
  scope: 'per-interface',
  tool: 'ethtool',
  skipLoopback: true,
  devicesOnly: true,
  rawPath: 'ethtool/{iface}/ethtool-c.txt',
};
