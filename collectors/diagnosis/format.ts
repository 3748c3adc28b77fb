import type { Finding } from './finding.js';

// `BACKLOG  vmB cpu1: 18,234 packets dropped at the per-CPU backlog (netdev_max_backlog=10)
//  — fix: sysctl -w net.core.netdev_max_backlog=32768`
export function findingLine(f: Finding): string {
  const where = [f.iface, f.cpus?.length ? f.cpus.map((c) => `cpu${c}`).join(',') : undefined]
    .filter((x) => x !== undefined)
    .join(' ');
  const fix = f.mitigation.commands[0] ?? f.mitigation.summary;
  return `${f.class.padEnd(8)} ${f.host}${where ? ` ${where}` : ''}: ${f.title} — fix: ${fix}`;
}
