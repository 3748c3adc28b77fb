import { intoSnapshot } from './contribution.js';
import { parseU64 } from './counter.js';
import { type Direction, statName } from './ip-link-names.js';
import { setOwn } from './own-record.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { quote, splitLines } from './text-lines.js';

// /proc/net/dev (net/core/net-procfs.c dev_seq_printf_stats()). Column names come from the
// second header line (`bytes packets errs drop fifo frame compressed multicast|bytes ...`) and
// are stored under the sysfs statistics name when the column IS that counter, so a capture with
// no sysfs dump (sos) yields the keys the rest of dropkit reads. Three columns are sums, kept
// under names of their own: no sysfs counter holds the same value.
export interface ProcNetDevInterface {
  name: string;
  counters: Record<string, bigint>;
}

export interface ProcNetDev {
  interfaces: ProcNetDevInterface[];
}

const DEFAULT_RX = ['bytes', 'packets', 'errs', 'drop', 'fifo', 'frame', 'compressed', 'multicast'];
const DEFAULT_TX = ['bytes', 'packets', 'errs', 'drop', 'fifo', 'colls', 'carrier', 'compressed'];

// Column → key. An unknown column keeps its direction prefix (`rx_<column>`), as in ip link.
const PROC_NET_DEV_COLUMNS: Record<Direction, Record<string, string>> = {
  rx: {
    bytes: 'rx_bytes',
    packets: 'rx_packets',
    errs: 'rx_errors',
    // rx_dropped + rx_missed_errors.
    drop: 'rx_dropped_plus_missed',
    fifo: 'rx_fifo_errors',
    // rx_length_errors + rx_over_errors + rx_crc_errors + rx_frame_errors.
    frame: 'rx_length_over_crc_frame_errors',
    compressed: 'rx_compressed',
    multicast: 'multicast',
  },
  tx: {
    bytes: 'tx_bytes',
    packets: 'tx_packets',
    errs: 'tx_errors',
    drop: 'tx_dropped',
    fifo: 'tx_fifo_errors',
    colls: 'collisions',
    // tx_carrier_errors + tx_aborted_errors + tx_window_errors + tx_heartbeat_errors.
    carrier: 'tx_carrier_aborted_window_heartbeat_errors',
    compressed: 'tx_compressed',
  },
};

export function parseProcNetDev(text: string): ParseResult<ProcNetDev> {
  const warnings = new WarningList();
  const interfaces: ProcNetDevInterface[] = [];
  let names = [...keys(DEFAULT_RX, 'rx'), ...keys(DEFAULT_TX, 'tx')];

  splitLines(text).forEach((line, i) => {
    if (line.trim() === '' || /^\s*Inter-\|/.test(line)) return;
    // ` face |bytes    packets ...|bytes ...`: take names from the header when present so a
    // kernel with other columns still maps by name.
    const header = /^\s*face\s*\|(.*)\|(.*)$/.exec(line);
    if (header) {
      names = [...keys(columns(header[1]), 'rx'), ...keys(columns(header[2]), 'tx')];
      return;
    }
    // The name is right-aligned to 6 and long names run into the first value
    // (`enp0s31f6:       0`, `docker0: 67744171`). Names cannot contain ':', so split there.
    const colon = line.indexOf(':');
    const name = line.slice(0, Math.max(colon, 0)).trim();
    if (colon < 0 || name === '' || /\s/.test(name)) {
      warnings.add(`line ${i + 1}: not an interface line: ${quote(line)}`);
      return;
    }
    const tokens = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .filter((t) => t !== '');
    if (tokens.length !== names.length) {
      warnings.add(
        `line ${i + 1}: ${name} has ${tokens.length} values, header has ${names.length}`,
      );
    }
    const counters: Record<string, bigint> = {};
    tokens.slice(0, names.length).forEach((token, c) => {
      const v = parseU64(token);
      const column = names[c];
      if (v === undefined || column === undefined) {
        warnings.add(`line ${i + 1}: ${name}: bad value ${quote(token)}`);
      } else setOwn(counters, column, v);
    });
    interfaces.push({ name, counters });
  });

  if (interfaces.length === 0) warnings.add('no interfaces found');
  return { value: { interfaces }, warnings: warnings.done() };
}

function columns(part: string | undefined): string[] {
  return (part ?? '')
    .trim()
    .split(/\s+/)
    .filter((n) => n !== '');
}

function keys(names: string[], dir: Direction): string[] {
  return names.map((n) => statName(PROC_NET_DEV_COLUMNS[dir], dir, n));
}

export const procNetDevCollector: CollectorSpec = {
  id: 'proc_net_dev',
  description: 'per-interface counters as /proc/net/dev prints them',
  source: { kind: 'file', path: '/proc/net/dev' },
  scope: 'global',
  rawPath: 'proc/net/dev',
  sos: ['proc/net/dev'],
  // Lists interfaces; their counters when neither sysfs nor ip link has any.
  model: intoSnapshot(parseProcNetDev, (p, d) => {
    d.listing.procDev = p.interfaces;
  }),
};
