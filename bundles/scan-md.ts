import { perSec, type Ranking } from '../collectors/scan/rank.js';
import { mdTable } from './md-table.js';

// The ranking that opens a fleet bundle's summary.md, as lines: the same
// table as the terminal's, each node under the name its folder has (`labels`).
export function scanMdLines(
  r: Ranking,
  intervalS: number,
  labels: ReadonlyMap<string, string>,
): string[] {
  const name = (n: string) => labels.get(n) ?? n;
  const dropping = r.nodes.filter((n) => n.dropsPerSec > 0);
  const healthy = r.nodes.filter((n) => n.status === 'scanned' && n.dropsPerSec === 0);
  const failed = r.nodes.filter((n) => n.status === 'failed');
  const out = [
    '## Ranking',
    '',
    `${dropping.length + healthy.length} of ${r.nodes.length} nodes scanned, two snapshots ${intervalS} s apart; ${dropping.length} dropped packets. Drops per second, per class:`,
    '',
    ...mdTable(
      ['Rank', 'Node', 'Drops/s', ...r.classes, 'Top finding', 'Fix'],
      dropping.map((n) => [
        String(n.rank),
        name(n.name),
        perSec(n.dropsPerSec),
        ...r.classes.map((c) => {
          const x = n.rates.find((y) => y.class === c);
          return x ? perSec(x.perSec) : '-';
        }),
        n.top ? n.top.line.split(' — fix: ')[0]! : '',
        n.top?.fix ?? '',
      ]),
    ),
  ];
  if (healthy.length) out.push('', `No drops: ${healthy.map((n) => name(n.name)).join(', ')}`);
  if (failed.length)
    out.push(
      '',
      'Not scanned:',
      '',
      ...mdTable(
        ['Node', 'Step', 'Reason'],
        failed.map((n) => [name(n.name), n.error?.step ?? '', n.error?.message ?? '']),
      ),
    );
  out.push('');
  return out;
}
