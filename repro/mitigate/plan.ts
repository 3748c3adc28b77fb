import { SYSCTL_FILE } from '../../collectors/diagnosis/advice/text.js';
import type { Finding } from '../../collectors/diagnosis/engine.js';
import { sysctlInt } from '../../collectors/diagnosis/sysctl-values.js';
import { isAzureVfName, type Snapshot } from '../../collectors/model.js';
import type { FixPlan, RingFix, SysctlFix } from '../persist/types.js';

// From an analysis to the fixes `repro mitigate` makes permanent. The values
// are the diagnosis's own: a sysctl is taken from the finding's persistent
// lines (the `/etc/sysctl.d` form it prints), a ring from the interface's
// preset maximum, which the finding's advice names. So the file written is
// the fix the analysis printed, never a second opinion. Pure.

export interface PlannedFixes {
  plan: FixPlan;
  // A finding with nothing to make permanent, and why (its own summary).
  skipped: string[];
}

// The sysctls a platform file can carry (repro/persist/types.ts).
const PERSISTABLE: ReadonlySet<string> = new Set<SysctlFix['name']>([
  'net.core.netdev_max_backlog',
  'net.core.somaxconn',
  'net.ipv4.tcp_max_syn_backlog',
  'net.core.rmem_max',
  'net.core.rmem_default',
]);

export function planFromFindings(
  findings: readonly Finding[],
  hosts: readonly Snapshot[],
  opts: { ring?: number } = {},
): PlannedFixes {
  const ring: RingFix[] = [];
  const sysctls = new Map<string, SysctlFix>();
  const skipped: string[] = [];
  for (const f of findings) {
    const where = `${f.host}${f.iface ? ` ${f.iface}` : ''}: ${f.class}`;
    const host = hosts.find((h) => h.host === f.host);
    let used = false;
    if (f.class === 'RING' && f.iface && host) {
      const fix = ringFix(host, f.iface, opts.ring);
      if (fix && !ring.some((r) => r.host === fix.host && r.iface === fix.iface)) ring.push(fix);
      used = fix !== undefined;
    }
    if (f.mitigation.persistentPath === SYSCTL_FILE) {
      for (const line of f.mitigation.persistent) {
        const m = /^([a-z0-9_.]+) = (\d+)$/.exec(line.trim());
        if (!m || !PERSISTABLE.has(m[1]!)) continue;
        const name = m[1] as SysctlFix['name'];
        const target = Number(m[2]);
        const current = host ? sysctlInt(host.sysctls, name) : undefined;
        const because = `${where}, ${f.title}`;
        const had = sysctls.get(name);
        // Two hosts, two findings: the larger value serves both.
        if (!had || target > had.target)
          sysctls.set(name, {
            name,
            target,
            ...(current !== undefined ? { current } : {}),
            because: had ? `${had.because}; ${because}` : because,
          });
        used = true;
      }
    }
    if (!used) skipped.push(`${where}: ${f.mitigation.summary}`);
  }
  return { plan: { ring, sysctls: [...sysctls.values()] }, skipped };
}

function ringFix(host: Snapshot, name: string, wanted: number | undefined): RingFix | undefined {
  const iface = host.interfaces.find((i) => i.name === name);
  const rx = iface?.ring?.rx;
  const max = iface?.ring?.rxMax;
  // Unknown, or already at the maximum: the finding's advice says what instead.
  if (!iface || rx == null || max == null || rx >= max) return undefined;
  return {
    host: host.host,
    iface: name,
    ...(iface.driver ? { driver: iface.driver } : {}),
    azureVf: iface.acceleratedNetworking?.role === 'vf' || isAzureVfName(name),
    current: rx,
    max,
    ...(wanted !== undefined ? { wanted } : {}),
  };
}
