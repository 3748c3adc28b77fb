import type { InterfaceSnapshot } from '../../model.js';
import { bnxt } from './bnxt.js';
import { ena } from './ena.js';
import { GENERIC_ETHTOOL_RULES, guessRule, KERNEL_RULES, SNMP_RULES } from './generic.js';
import { gve } from './gve.js';
import { hvNetvsc } from './hv-netvsc.js';
import { inferDriver, type KnownDriver } from './infer.js';
import { mana } from './mana.js';
import { matchRule, type RuleMatch } from './match.js';
import { mlx5 } from './mlx5.js';
import type { DriverTable } from './rule.js';
import { veth } from './veth.js';
import { virtioNet } from './virtio-net.js';

export { SOFTNET_RULES } from './generic.js';
export { type DriverSource, driverLabel, type KnownDriver } from './infer.js';
export { baseName, type RuleMatch } from './match.js';
export type { CounterKind, CounterRule, DriverTable } from './rule.js';

export const DRIVER_TABLES: readonly DriverTable[] = [
  mlx5,
  mana,
  hvNetvsc,
  ena,
  gve,
  virtioNet,
  veth,
  bnxt,
];

type Iface = Pick<InterfaceSnapshot, 'driver' | 'kind'>;

// The driver an interface's counters are read by: the host's word for it, else the one its
// `ethtool -S` names give (infer.ts), marked so. Pass the driver the host gave (`ethtool -i`,
// sysfs) and the ethtool keys: a snapshot's counters or a delta's.
export function knownDriver(
  reported: string | undefined,
  ethtool: Readonly<Record<string, unknown>> | undefined,
): KnownDriver | undefined {
  if (reported) return { name: reported, source: 'reported' };
  const name = ethtool && inferredOnce(ethtool);
  return name ? { name, source: 'counter names' } : undefined;
}

// The views and the diagnosis each ask about the same interfaces; a host's capture can hold
// hundreds of thousands of keys, so each set is read once.
const inferred = new WeakMap<object, string | null>();
function inferredOnce(ethtool: Readonly<Record<string, unknown>>): string | undefined {
  let name = inferred.get(ethtool);
  if (name === undefined) {
    name = inferDriver(DRIVER_TABLES, Object.keys(ethtool)) ?? null;
    inferred.set(ethtool, name);
  }
  return name ?? undefined;
}

// By driver name; a veth without ethtool -i output is still known by its kind.
export function driverTable(iface: Iface): DriverTable | undefined {
  const byDriver = DRIVER_TABLES.find((t) => iface.driver && t.drivers.includes(iface.driver));
  return byDriver ?? (iface.kind === 'veth' ? veth : undefined);
}

// Driver table first, then names many drivers share, then the name-says-drop guess.
export function classifyEthtool(iface: Iface, key: string): RuleMatch | undefined {
  const table = driverTable(iface);
  const own = table && matchRule(table.ethtool, key);
  if (own) return { ...own, table };
  const hit = matchRule(GENERIC_ETHTOOL_RULES, key);
  if (hit) return hit;
  const guess = guessRule(key);
  return guess ? { rule: guess } : undefined;
}

// The kernel's counter set is fixed (rtnl_link_stats64): no guessing.
export function classifyKernel(iface: Iface, name: string): RuleMatch | undefined {
  const table = driverTable(iface);
  const own = table?.kernel && matchRule(table.kernel, name);
  return own ? { ...own, table } : matchRule(KERNEL_RULES, name);
}

export function classifySnmp(group: string, name: string): RuleMatch | undefined {
  return matchRule(SNMP_RULES, `${group}.${name}`);
}
