import { cloudIdentityCollector } from './cloud-identity.js';
import { ethtoolChannelsCollector } from './ethtool-channels.js';
import { ethtoolDriverCollector } from './ethtool-driver.js';
import { ethtoolRingCollector } from './ethtool-ring.js';
import { ethtoolStatsCollector } from './ethtool-stats.js';
import {
  bootIdCollector,
  cpuCollector,
  etcHostsCollector,
  hostnameCollector,
  osReleaseCollector,
  resolvConfCollector,
  unameCollector,
  uptimeCollector,
} from './host-info.js';
import { ipLinkJsonCollector, ipLinkTextCollector } from './ip-link.js';
import { kernelLogCollector } from './kernel-log.js';
import { sysctlCollector } from './kv-sysctl.js';
import { lspciCollector } from './lspci.js';
import { procNetDevCollector } from './proc-net-dev.js';
import { netstatCollector, snmpCollector } from './proc-net-snmp.js';
import {
  ethtoolCoalesceCollector,
  ethtoolFeaturesCollector,
  ipAddrCollector,
  ipRouteCollector,
} from './raw-only.js';
import { rpsXpsCollector } from './rps-xps.js';
import { softnetStatCollector } from './softnet-stat.js';
import type { CollectorSpec } from './spec.js';
import { interruptsCollector, irqAffinityCollector, softirqsCollector } from './steering.js';
import { sysfsNetCollector } from './sysfs-stats.js';
import { tcQdiscCollector } from './tc-qdisc.js';

// Every evidence source, explicitly, in the order the snapshot runs them.
// Counters that move fastest (softnet, sysfs) come first so the snapshot's
// "moment" is as tight as possible for them.
export const COLLECTORS: readonly CollectorSpec[] = [
  softnetStatCollector,
  sysfsNetCollector,
  procNetDevCollector,
  snmpCollector,
  netstatCollector,
  ipLinkTextCollector,
  ipLinkJsonCollector,
  tcQdiscCollector,
  softirqsCollector,
  interruptsCollector,
  sysctlCollector,
  rpsXpsCollector,
  irqAffinityCollector,
  ipAddrCollector,
  ipRouteCollector,
  unameCollector,
  osReleaseCollector,
  hostnameCollector,
  cpuCollector,
  uptimeCollector,
  bootIdCollector,
  etcHostsCollector,
  resolvConfCollector,
  cloudIdentityCollector,
  lspciCollector,
  kernelLogCollector,
  ethtoolDriverCollector,
  ethtoolStatsCollector,
  ethtoolRingCollector,
  ethtoolChannelsCollector,
  ethtoolFeaturesCollector,
  ethtoolCoalesceCollector,
];
