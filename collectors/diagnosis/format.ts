import type { Finding } from './finding.js';

// `BACKLOG  vmB cpu1: 18,234 packets dropped at the per-CPU backlog (netdev_max_backlog=10)
//  — fix: sysctl -w net.core.netdev_max_backlog=32768`
export function findingLine(f: Finding): string {
  return `${f.class.padEnd(8)} ${findingWhere(f)}: ${f.title} — fix: ${findingFix(f)}`;
}

// `vmB cpu1`, `vmA enP30832s1`: the host and where on it.
export function findingWhere(f: Finding): string {
  const where = [f.iface, f.cpus?.length ? f.cpus.map((c) => `cpu${c}`).join(',') : undefined]
    .filter((x) => x !== undefined)
    .join(' ');
  return `${f.host}${where ? ` ${where}` : ''}`;
}

// The first thing to change; the summary when there is nothing to run.
export function findingFix(f: Finding): string {
  return f.mitigation.commands[0] ?? f.mitigation.summary;
}
