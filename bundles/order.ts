import type { Finding } from '../collectors/diagnosis/findings.js';

// Most severe first, then most packets: the first line of the summary is the
// one to act on.
// Within a severity, causes are ordered along the receive path, from the wire
// up: a full ring or backlog upstream also starves what is downstream, and a
// full socket buffer is the application's, not the network's.
const RANK = { critical: 0, warning: 1, info: 2 } as const;
const PATH = ['CLOUD', 'RING', 'SQUEEZE', 'BACKLOG', 'QDISC', 'TXQ', 'SOCKET', 'OTHER'];

export function findingSeverityOrder(a: Finding, b: Finding): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    PATH.indexOf(a.class) - PATH.indexOf(b.class) ||
    (b.packets > a.packets ? 1 : b.packets < a.packets ? -1 : 0)
  );
}

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
