import { baseName } from './match.js';
import type { DriverTable, Marker } from './rule.js';

// Where an interface's driver name came from: the host itself (`ethtool -i`, else the sysfs
// device driver), or the names of its `ethtool -S` counters when the host gave none.
export type DriverSource = 'reported' | 'counter names';

export interface KnownDriver {
  name: string;
  source: DriverSource;
}

// The driver whose markers the keys show, when exactly one table's do. Two would mean a name
// taken for distinctive is not, and a wrong driver is worse than none: its table would give
// its meanings to another driver's counters. Keys as stored (`key#2` for a repeated one).
export function inferDriver(
  tables: readonly DriverTable[],
  keys: Iterable<string>,
): string | undefined {
  const names = new Set<string>();
  for (const k of keys) names.add(baseName(k));
  let found: DriverTable | undefined;
  for (const t of tables) {
    if (!t.markers?.some((m) => shows(names, m))) continue;
    if (found) return undefined;
    found = t;
  }
  return found?.drivers[0];
}

function shows(names: ReadonlySet<string>, m: Marker): boolean {
  if (typeof m === 'string') return names.has(m);
  for (const n of names) if (m.test(n)) return true;
  return false;
}

// For people: `mana`, or `mana (inferred from counter names)`.
export function driverLabel(d: KnownDriver): string {
  return d.source === 'reported' ? d.name : `${d.name} (inferred from counter names)`;
}
