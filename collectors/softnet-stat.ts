import { intoSnapshot } from './contribution.js';
import { parseHex32 } from './counter.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { isElisionLine, quote, splitLines } from './text-lines.js';

// One row of /proc/net/softnet_stat. Counters are the kernel's 32-bit values (they wrap at
// 2^32, see delta.ts). Layout by kernel: fixtures/docs_kernel_source/SOFTNET_STAT_COLUMNS.md.
export interface SoftnetRow {
  cpu: number;
  // True when `cpu` came from column 13 (5.10+). Otherwise it is the row position, which is
  // only a guess: the kernel skips offline CPUs, so row 3 may be CPU 5.
  cpuFromIndexColumn: boolean;
  processed: bigint;
  dropped: bigint;
  timeSqueeze: bigint;
  receivedRps?: bigint;
  flowLimitCount?: bigint;
  // Columns 12, 14 and 15 are queue lengths (gauges), not counters: never take deltas of them.
  backlogLen?: bigint;
  inputQlen?: bigint;
  processQlen?: bigint;
  columns: number;
}

export interface SoftnetStat {
  rows: SoftnetRow[];
  // An author cut rows out (`...`): totals over `rows` are lower bounds.
  elided: boolean;
}

// Kernels since 2.5 print at least 9 columns; a shorter row is a truncated capture.
const MIN_COLUMNS = 9;

export function parseSoftnetStat(text: string): ParseResult<SoftnetStat> {
  const warnings = new WarningList();
  const rows: SoftnetRow[] = [];
  const seenCpus = new Set<number>();
  let elided = false;
  let position = 0;

  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    if (isElisionLine(line)) {
      elided = true;
      warnings.add(
        `line ${i + 1}: rows elided ("..."); positional CPU numbers after it are guesses`,
      );
      return;
    }
    // Count every data line, even a bad one, so one corrupt row does not renumber the rest.
    const rowPosition = position++;
    const tokens = line.trim().split(/\s+/);
    const row = parseRow(tokens, rowPosition);
    if (typeof row === 'string') {
      warnings.add(`line ${i + 1}: ${row}: ${quote(line)}`);
      return;
    }
    // The kernel always prints `%08x`; a shorter field usually means a capture cut mid-row.
    if (tokens.some((t) => t.length !== 8)) {
      warnings.add(`line ${i + 1}: field not 8 hex digits wide, row may be truncated`);
    }
    if (seenCpus.has(row.cpu)) warnings.add(`line ${i + 1}: CPU ${row.cpu} appears twice`);
    seenCpus.add(row.cpu);
    rows.push(row);
  });

  if (rows.length === 0 && !elided) warnings.add('no softnet_stat rows found');
  return { value: { rows, elided }, warnings: warnings.done() };
}

// Returns the row, or a reason string when the line is not a softnet_stat row.
function parseRow(tokens: string[], position: number): SoftnetRow | string {
  if (tokens.length < MIN_COLUMNS) return `${tokens.length} columns, expected at least 9`;
  const values: bigint[] = [];
  for (const token of tokens) {
    const v = parseHex32(token);
    if (v === undefined) return `not a 32-bit hex value ${quote(token)}`;
    values.push(v);
  }
  const col = (n: number): bigint | undefined => values[n - 1];
  const indexColumn = col(13);
  const row: SoftnetRow = {
    cpu: indexColumn === undefined ? position : Number(indexColumn),
    cpuFromIndexColumn: indexColumn !== undefined,
    processed: col(1) ?? 0n,
    dropped: col(2) ?? 0n,
    timeSqueeze: col(3) ?? 0n,
    columns: values.length,
  };
  // Column 9 is cpu_collision (always 0 since 4.8) and 4–8 are always 0: not exposed.
  setIfPresent(row, 'receivedRps', col(10));
  setIfPresent(row, 'flowLimitCount', col(11));
  setIfPresent(row, 'backlogLen', col(12));
  setIfPresent(row, 'inputQlen', col(14));
  setIfPresent(row, 'processQlen', col(15));
  return row;
}

type OptionalCounter =
  | 'receivedRps'
  | 'flowLimitCount'
  | 'backlogLen'
  | 'inputQlen'
  | 'processQlen';

function setIfPresent(row: SoftnetRow, key: OptionalCounter, v: bigint | undefined): void {
  if (v !== undefined) row[key] = v;
}

export const softnetStatCollector: CollectorSpec = {
  id: 'softnet_stat',
  description: 'per-CPU backlog drops, time squeeze and flow limit (/proc/net/softnet_stat)',
  source: { kind: 'file', path: '/proc/net/softnet_stat' },
  scope: 'global',
  rawPath: 'proc/net/softnet_stat',
  sos: ['proc/net/softnet_stat'],
  model: intoSnapshot(parseSoftnetStat, (s, d) => {
    d.fields.softnet = s.rows;
  }),
};
