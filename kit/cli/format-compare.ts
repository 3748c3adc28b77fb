import type { CompareJson } from '../../bundles/compare-json.js';
import { CHANGE_COLUMN, type CompareTable } from '../../bundles/compare-table.js';
import { terminalField as field } from '../terminal-text.js';
import { table } from './table.js';

// `repro compare` on the terminal: the table, the verdicts, and any host
// left with a changed setting, last, where the eye lands. Variant names,
// host names, settings and errors came from the operator or the hosts:
// table() escapes each cell, and every other one is escaped here as a field.

type Restore = CompareJson['restore'][number];

function restoreLine(r: Restore): string {
  const who = `${field(r.host)}${r.role ? ` (${r.role})` : ''}`;
  const detail = r.detail ? `: ${field(r.detail)}` : '';
  const run = r.command ? `; run: ${field(r.command)}` : '';
  const what =
    r.status === 'pending'
      ? 'NOT RESTORED (could not be reached or verified)'
      : r.status === 'failed'
        ? 'RESTORE FAILED (a value differs from its original)'
        : 'NO RESTORE RECORDED';
  return `${what}: ${who}${detail}${run}`;
}

export function formatRestore(restore: readonly Restore[]): string[] {
  return restore
    .filter((r) => r.status !== 'restored' && r.status !== 'unchanged')
    .map(restoreLine);
}

// The change column is left out: the verdicts below say the same in full,
// and the table stays narrow enough for a terminal.
function figuresTable(t: CompareTable): string {
  const keep = (_c: string, i: number) => t.header[i] !== CHANGE_COLUMN;
  // Variant and settings read left to right; the figures line up right.
  return table(
    t.header.filter(keep),
    t.rows.map((r) => r.filter(keep)),
    2,
  );
}

export function formatCompare(t: CompareTable, json: CompareJson): string {
  const out = [
    `comparison: profile ${field(json.profile)}, ${json.variants.length} variant(s), ${json.repeats} run(s) each, ${json.order}`,
    '',
    figuresTable(t),
  ];
  if (t.notes.length) out.push('', ...t.notes.map(field));
  if (t.verdicts.length) out.push('', 'verdicts:', ...t.verdicts.map((v) => `  ${field(v)}`));
  if (json.error) out.push('', `stopped early: ${field(json.error)}`);
  const restore = formatRestore(json.restore);
  if (restore.length) out.push('', ...restore);
  else if (json.restore.some((r) => r.status === 'restored'))
    out.push('', 'every changed setting was restored');
  return `${out.join('\n')}\n`;
}
