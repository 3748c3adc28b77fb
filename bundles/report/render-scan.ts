import { h, table } from './html.js';
import { arr, field, num, obj, str } from './json-read.js';

// A fleet scan's ranking, from scan.json: the nodes that dropped with their
// drops per second per class, top finding and fix, then the quiet nodes and
// the ones not scanned. Every cell comes from the (redacted) bundle and is
// escaped by table(). Pure.

const rate = (v: number | undefined) =>
  v === undefined ? '-' : v < 10 ? v.toFixed(1) : String(Math.round(v));

export function scanSection(scan: unknown): string {
  const nodes = arr(field(scan, 'nodes'));
  const dropping = nodes.filter((n) => (num(field(n, 'dropsPerSec')) ?? 0) > 0);
  const quiet = nodes.filter(
    (n) => str(field(n, 'status')) === 'scanned' && !((num(field(n, 'dropsPerSec')) ?? 0) > 0),
  );
  const failed = nodes.filter((n) => str(field(n, 'status')) !== 'scanned');
  const classes = [
    ...new Set(dropping.flatMap((n) => Object.keys(obj(field(n, 'classes')) ?? {}))),
  ];
  const interval = num(field(scan, 'intervalS'));
  const suggestion = arr(field(field(scan, 'suggestion'), 'command')).map((w) => String(w));
  return `<section id="ranking"><h2>Ranking</h2>
<p>${nodes.length - failed.length} of ${nodes.length} nodes scanned, two snapshots ${interval ?? '?'} s apart; ${dropping.length} dropped packets. Drops per second, per class:</p>
${table(
  ['Rank', 'Node', 'Drops/s', ...classes, 'Top finding', 'Fix'],
  dropping.map((n) => [
    String(num(field(n, 'rank')) ?? ''),
    str(field(n, 'name')) ?? '',
    rate(num(field(n, 'dropsPerSec'))),
    ...classes.map((c) => rate(num(field(field(field(n, 'classes'), c), 'perSec')))),
    (str(field(field(n, 'top'), 'line')) ?? '').split(' — fix: ')[0]!,
    str(field(field(n, 'top'), 'fix')) ?? '',
  ]),
)}
${quiet.length ? `<p>No drops: ${h(quiet.map((n) => str(field(n, 'name')) ?? '').join(', '))}</p>` : ''}
${
  failed.length
    ? `<h3>Not scanned</h3>${table(
        ['Node', 'Step', 'Reason'],
        failed.map((n) => [
          str(field(n, 'name')) ?? '',
          str(field(field(n, 'error'), 'step')) ?? '',
          str(field(field(n, 'error'), 'message')) ?? '',
        ]),
      )}`
    : ''
}
${suggestion.length ? `<p>Next: <code>${h(suggestion.join(' '))}</code></p>` : ''}
</section>`;
}
