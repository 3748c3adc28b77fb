import { parseU64 } from './counter.js';
import { setOwn } from './own-record.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { quote, splitLines } from './text-lines.js';

// /proc/net/dev (net/core/net-procfs.c dev_seq_printf_stats()). Column names come from the
// second header line, prefixed rx_/tx_: `rx_bytes rx_packets rx_errs rx_drop rx_fifo rx_frame
// rx_compressed rx_multicast tx_bytes ... tx_colls tx_carrier tx_compressed`. Note the kernel
// folds counters: `drop` = rx_dropped + rx_missed_errors, `frame` = length+over+crc+frame.
export interface ProcNetDevInterface {
  name: string;
  counters: Record<string, bigint>;
}

export interface ProcNetDev {
  interfaces: ProcNetDevInterface[];
}

const DEFAULT_RX = ['bytes', 'packets', 'errs', 'drop', 'fifo', 'frame', 'compressed', 'multicast'];
const DEFAULT_TX = ['bytes', 'packets', 'errs', 'drop', 'fifo', 'colls', 'carrier', 'compressed'];

export function parseProcNetDev(text: string): ParseResult<ProcNetDev> {
  const warnings = new WarningList();
  const interfaces: ProcNetDevInterface[] = [];
  let names = [...DEFAULT_RX.map((n) => `rx_${n}`), ...DEFAULT_TX.map((n) => `tx_${n}`)];

  splitLines(text).forEach((line, i) => {
    if (line.trim() === '' || /^\s*Inter-\|/.test(line)) return;
    // ` face |bytes    packets ...|bytes ...`: take names from the header when present so a
    // kernel with other columns still maps by name.
    const header = /^\s*face\s*\|(.*)\|(.*)$/.exec(line);
    if (header) {
      names = [...columnNames(header[1], 'rx_'), ...columnNames(header[2], 'tx_')];
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

function columnNames(part: string | undefined, prefix: string): string[] {
  return (part ?? '')
    .trim()
    .split(/\s+/)
    .filter((n) => n !== '')
    .map((n) => `${prefix}${n}`);
}

export const procNetDevCollector: CollectorSpec = {
  id: 'proc_net_dev',
  description: 'per-interface counters as /proc/net/dev prints them',
  source: { kind: 'file', path: '/proc/net/dev' },
  scope: 'global',
  rawPath: 'proc/net/dev',
};
