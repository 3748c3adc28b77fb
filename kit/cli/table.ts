import { terminalField } from '../terminal-text.js';
import { thousands } from '../thousands.js';

// A plain aligned text table: readable in a terminal, a ticket and CI logs.
// Cells come from hosts and archives: each is escaped as one field, so an
// interface name cannot hold a newline, a `\r` or an escape sequence, and
// the widths are those of what is printed.
export function table(header: string[], rows: string[][], rightAlignFrom = 1): string {
  const cells = [header, ...rows].map((r) => r.map((c) => terminalField(c ?? '')));
  const widths = header.map((_h, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i >= rightAlignFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return cells.map(line).join('\n');
}

export function num(v: bigint | number | undefined | null): string {
  if (v === undefined || v === null) return '-';
  return thousands(v);
}
