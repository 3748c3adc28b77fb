import { ringTarget } from './ring-target.js';
import { isSafeDriver, isSafeIface, oneLine } from './text.js';
import type { FixPlan, RingFix, SysctlFix } from './types.js';

// The plan as the generators use it: checked (nothing from a bundle reaches a
// file unless it has the shape of a driver, an interface or a count) and ring
// fixes grouped by driver, because every platform matches a NIC by its driver:
// an Azure VF comes back from host servicing under another enP name, so a name
// match would miss it.

export interface RingGroup {
  driver: string;
  azureVf: boolean;
  value: number; // the RX ring size to set
  restore?: number; // the size before dropkit, when rollback has something to undo
  fixes: RingFix[];
}

export interface CheckedPlan {
  rings: RingGroup[];
  sysctls: SysctlFix[];
  notes: string[];
  problems: string[];
}

const SYSCTLS: ReadonlySet<string> = new Set([
  'net.core.netdev_max_backlog',
  'net.core.somaxconn',
  'net.ipv4.tcp_max_syn_backlog',
  'net.core.rmem_max',
  'net.core.rmem_default',
]);

const count = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

export function where(f: RingFix): string {
  return `${oneLine(String(f.host), 60)} ${oneLine(String(f.iface), 20)}`;
}

export function checkPlan(plan: FixPlan): CheckedPlan {
  const notes: string[] = [];
  const problems: string[] = [];
  const groups = new Map<string, RingGroup>();
  for (const f of plan.ring ?? []) {
    const bad = ringProblem(f);
    if (bad) {
      problems.push(`${where(f)}: ${bad}`);
      continue;
    }
    const t = ringTarget(f);
    if (t.note) notes.push(`${where(f)} (${f.driver}): ${t.note}.`);
    const key = `${f.azureVf}:${f.driver}`;
    const g = groups.get(key);
    if (g) g.fixes.push({ ...f, wanted: t.value });
    else
      groups.set(key, {
        driver: f.driver!,
        azureVf: f.azureVf,
        value: t.value,
        fixes: [{ ...f, wanted: t.value }],
      });
  }
  const rings = [...groups.values()].map((g) => settle(g, notes));
  return { rings, sysctls: checkSysctls(plan.sysctls ?? [], notes, problems), notes, problems };
}

function ringProblem(f: RingFix): string | undefined {
  if (typeof f.iface !== 'string' || !isSafeIface(f.iface))
    return 'the interface name has characters no rule can carry safely; no ring fix written';
  if (f.driver === undefined || f.driver === '')
    return `the driver is unknown (read it with ethtool -i ${f.iface}); dropkit matches a NIC by its driver, never by a name that can change, so no ring fix is written`;
  if (!isSafeDriver(f.driver))
    return 'the driver name has characters no rule can carry safely; no ring fix written';
  if (
    !count(f.current) ||
    !count(f.max) ||
    f.max < 1 ||
    (f.wanted !== undefined && !count(f.wanted))
  )
    return 'the ring sizes are not counts; no ring fix written';
  if (f.azureVf && f.driver === 'hv_netvsc')
    return 'hv_netvsc is the synthetic NIC, not the VF: the ring fix belongs on the VF (mlx4_core, mlx5_core or mana)';
  return undefined;
}

// One value per driver: a rule applies to every NIC of that driver, so it takes
// the smallest target (ethtool -G fails outright above a NIC's maximum).
function settle(g: RingGroup, notes: string[]): RingGroup {
  const targets = [...new Set(g.fixes.map((f) => f.wanted!))];
  const value = Math.min(...targets);
  if (targets.length > 1)
    notes.push(
      `${g.driver}: the NICs asked for different ring sizes (${targets.join(', ')}); one rule covers them all, so it sets the smallest, ${value}.`,
    );
  const currents = [...new Set(g.fixes.map((f) => f.current))];
  const restore = Math.min(...currents);
  if (currents.length > 1)
    notes.push(
      `${g.driver}: the NICs had different ring sizes before (${currents.join(', ')}); rollback sets every ${g.driver} NIC back to ${restore}.`,
    );
  return restore < value ? { ...g, value, restore } : { ...g, value };
}

function checkSysctls(list: readonly SysctlFix[], notes: string[], problems: string[]) {
  const byName = new Map<string, SysctlFix>();
  for (const s of list) {
    if (!SYSCTLS.has(s.name)) {
      problems.push(`${oneLine(String(s.name), 60)}: not a sysctl dropkit persists`);
      continue;
    }
    if (!count(s.target) || s.target < 1 || (s.current !== undefined && !count(s.current))) {
      problems.push(`${s.name}: the values are not counts; not written`);
      continue;
    }
    const clean: SysctlFix = { ...s, because: oneLine(String(s.because ?? '')) };
    const seen = byName.get(s.name);
    if (!seen) byName.set(s.name, clean);
    else {
      notes.push(
        `${s.name} was asked twice (${seen.target}, ${s.target}): the larger one is kept.`,
      );
      if (s.target > seen.target)
        byName.set(s.name, { ...clean, because: `${seen.because}; ${clean.because}` });
    }
  }
  return [...byName.values()];
}
