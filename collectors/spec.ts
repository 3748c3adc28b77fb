import { shellQuote } from '../kit/shell-quote.js';
import type { Contribution } from './contribution.js';

// A collector declares what it collects; the snapshot script runs it. The
// spec is data (sos's add_cmd_output/add_copy_spec, as types), plus where a
// sos report keeps the same output and how the parsed output lands in the
// snapshot: adding a source is one file and one line of registry.ts.

export type CollectorSource =
  // A file, read byte-exact (`cat`, or the shell itself for procfs and sysfs).
  | { kind: 'file'; path: string }
  // A command; `{iface}` in an argument is replaced per interface.
  | { kind: 'command'; argv: string[] }
  // A short POSIX sh fragment, for sources that are loops over sysfs.
  | { kind: 'shell'; sh: string };

export interface CollectorSpec {
  // Stable id, also the section name in the snapshot and the bundle.
  id: string;
  description: string;
  source: CollectorSource;
  // Global, or run once per interface (expanded on the host).
  scope: 'global' | 'per-interface';
  needsRoot?: boolean;
  // The tool that must be present; a missing tool is recorded, not fatal.
  tool?: string;
  // Per-command bound on the host, seconds.
  timeoutSec?: number;
  // Where the raw bytes go, relative to hosts/<host>/raw/; `{iface}` expands.
  rawPath: string;
  // Skip the loopback interface (ethtool on lo only prints errors).
  skipLoopback?: boolean;
  // Only interfaces backed by a device (/sys/class/net/<if>/device): ring,
  // coalescing and offload queries mean nothing on veth/bridge, and a
  // Kubernetes node with 200 veths must not pay 4 forks for each.
  devicesOnly?: boolean;
  // On an interface with no device behind it (a pod's veth, a bridge, a
  // tunnel), run only when its kernel counters show a drop (rx_dropped or
  // tx_dropped above 0): a node's hundreds of idle veths would cost a fork
  // each, for a driver name and a peer index that ip -d -j link already
  // gives. The snapshot lists the interfaces it skipped (Snapshot.skipped).
  softwareOnlyWithDrops?: boolean;
  // Where a sos report keeps the same output, relative to its root (`{iface}`
  // is one path segment), for `collect analyze`; the first one present wins.
  sos?: readonly string[];
  // How the parsed output lands in the snapshot (contribution.ts); a source
  // kept raw only (raw-only.ts) has none.
  model?: Contribution;
  // Why the source failed, in its own words, from its stderr: when it knows
  // better than the generic reasons (snapshot/source-status.ts).
  explain?: (stderr: string) => string | undefined;
}

// The section's bound on the host, seconds: what the script enforces and what
// a timed-out source's reason reports.
export function timeoutOf(spec: CollectorSpec): number {
  return spec.timeoutSec ?? 5;
}

// The command line a source runs, with each argument rendered by `arg`, as the
// manifest lists it: the caller substitutes the interface, so it can be pasted
// into a shell as is. The snapshot script does not use this: it passes the
// source to its `sec` function instead (sourceArgs in snapshot/script.ts).
export function renderSource(spec: CollectorSpec, arg: (a: string) => string): string {
  const s = spec.source;
  if (s.kind === 'file') return `cat ${arg(s.path)}`;
  if (s.kind === 'command') return s.argv.map(arg).join(' ');
  return `sh -c ${shellQuote(s.sh)}`;
}
