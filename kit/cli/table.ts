import { thousands } from '../thousands.js';

// A plain aligned text table: readable in a terminal, a ticket and CI logs.
export function table(header: string[], rows: string[][], rightAlignFrom = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i >= rightAlignFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function num(v: bigint | number | undefined | null): string {
  if (v === undefined || v === null) return '-';
  return thousands(v);
}
