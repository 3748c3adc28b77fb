import { terminalField } from '../kit/terminal-text.js';

// A Markdown table; a `|` inside a cell (error text, a counter name) is
// escaped so it cannot break the row, and each cell is escaped as one field
// (kit/terminal-text.ts) so a newline or a control character cannot either.
// Empty when there are no rows.
export function mdTable(header: string[], rows: string[][]): string[] {
  if (!rows.length) return [];
  const esc = (c: string) => terminalField(c).replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
}
