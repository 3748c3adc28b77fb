import type { Finding } from './finding.js';

// Hosts with one boot_id share a kernel (containers, the lab): softnet_stat
// is that kernel's, so a backlog or squeeze finding appears on every one of
// them. Keep it on the host whose own interfaces show the most of it (the
// receiver's veth rx_dropped, not the sender's few tx_dropped).
export function dedupeSharedKernel(
  findings: Finding[],
  bootIdOf: (host: string) => string | undefined,
): Finding[] {
  const own = (f: Finding) =>
    f.evidence
      .filter((e) => !e.name.startsWith('softnet') && typeof e.delta === 'bigint')
      .reduce((a, e) => a + (e.delta as bigint), 0n);
  return findings.filter((f) => {
    if (f.class !== 'BACKLOG' && f.class !== 'SQUEEZE') return true;
    const boot = bootIdOf(f.host);
    if (boot === undefined) return true;
    return !findings.some(
      (o) =>
        o !== f &&
        o.class === f.class &&
        o.host !== f.host &&
        bootIdOf(o.host) === boot &&
        (own(o) > own(f) || (own(o) === own(f) && o.host < f.host)),
    );
  });
}
