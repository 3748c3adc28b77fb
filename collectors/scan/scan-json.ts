import type { HandshakeStats } from '../../kit/transport/fleet-opener.js';
import type { Ranking } from './rank.js';

// `collect scan --json` (docs/scan-json.md): the ranking, every node with its
// rates, top finding and fix, or the reason it was not scanned. Counters are
// bigint; toJson (collectors/json.ts) writes them as numbers when exact.

export interface ScanMeta {
  startedAt: string;
  durationMs: number;
  intervalS: number;
  parallel: number;
  handshakes?: HandshakeStats;
  interrupted: boolean;
  bundle?: string;
}

// `name` renames nodes: a bundle's scan.json names each node as its folder.
export function scanJson(r: Ranking, meta: ScanMeta, name: (n: string) => string = (n) => n) {
  return {
    schema: 'dropkit.scan/1',
    ...meta,
    nodes: r.nodes.map((n) => ({
      name: name(n.name),
      status: n.status,
      ...(n.rank !== undefined ? { rank: n.rank } : {}),
      ...(n.elapsedS !== undefined ? { elapsedS: Math.round(n.elapsedS * 1000) / 1000 } : {}),
      dropsPerSec: Math.round(n.dropsPerSec * 10) / 10,
      classes: Object.fromEntries(
        n.rates.map((x) => [
          x.class,
          { packets: x.packets, perSec: Math.round(x.perSec * 10) / 10 },
        ]),
      ),
      ...(n.top ? { top: n.top } : {}),
      ...(n.sharesKernelWith ? { sharesKernelWith: n.sharesKernelWith } : {}),
      ...(n.error ? { error: n.error } : {}),
    })),
    ...(r.suggestion
      ? {
          suggestion: {
            worst: name(r.suggestion.worst),
            peer: name(r.suggestion.peer),
            command: r.suggestion.command.map((w, i) => (i >= 3 ? name(w) : w)),
          },
        }
      : {}),
  };
}
