import { COLLECTORS } from '../registry.js';
import type { CollectorSpec } from '../spec.js';

// A fleet scan's snapshot (`collect scan`): the loss counters, and the few
// settings a finding's fix quotes (the sysctls, the ring and its maximum, the
// driver, RPS), in one exec. Left out: what a scan does not rank by and what
// costs most on a busy node (the kernel log, lspci, interrupts, addresses and
// routes, offloads, coalescing, the cloud identity). A node worth a closer look
// gets a full `collect bundle`.
const LIGHT_IDS = new Set([
  'softnet_stat',
  'sysfs_net',
  'proc_net_dev',
  'snmp',
  'netstat',
  'ip_link_json',
  'tc_qdisc',
  'sysctl',
  'rps_xps',
  'hostname',
  'boot_id',
  'uname',
  'cpu',
  'ethtool_i',
  'ethtool_S',
  'ethtool_g',
]);

// In the registry's order, so the fastest-moving counters still come first.
export const LIGHT_COLLECTORS: readonly CollectorSpec[] = COLLECTORS.filter((s) =>
  LIGHT_IDS.has(s.id),
);
