import { perSec, type Ranking } from '../../collectors/scan/rank.js';
import { terminalField as field } from '../terminal-text.js';
import { table } from './table.js';

// `collect scan`'s text: the ranked table, each dropping node's top finding
// and fix, the nodes that could not be scanned and why, and the pair to
// reproduction next. Host text is escaped (table() and field()).

// Healthy nodes beyond this many are named on one line, not listed.
const NAMED = 20;

export function formatScan(r: Ranking, intervalS: number): string {
  const out: string[] = [];
  const dropping = r.nodes.filter((n) => n.dropsPerSec > 0);
  const healthy = r.nodes.filter((n) => n.status === 'scanned' && n.dropsPerSec === 0);
  const failed = r.nodes.filter((n) => n.status === 'failed');
  const scanned = dropping.length + healthy.length;
  out.push(
    `Scanned ${scanned} of ${r.nodes.length} nodes over ${intervalS} s: ${dropping.length} dropped packets.`,
  );
  if (dropping.length) {
    out.push(
      '',
      table(
        ['RANK', 'NODE', 'DROPS/S', ...r.classes],
        dropping.map((n) => [
          String(n.rank),
          n.name,
          perSec(n.dropsPerSec),
          ...r.classes.map((c) => {
            const x = n.rates.find((y) => y.class === c);
            return x ? perSec(x.perSec) : '-';
          }),
        ]),
        2,
      ),
      '',
      'Top finding and fix per node:',
      ...dropping.map((n) => `  ${n.rank} ${field(n.top?.line ?? n.name)}`),
    );
    const shared = dropping.filter((n) => n.sharesKernelWith);
    if (shared.length)
      out.push(
        '',
        "Some nodes share a kernel (one boot_id): its softnet_stat is counted for each node by its own interfaces' drops.",
      );
  }
  if (healthy.length) {
    const names = healthy.slice(0, NAMED).map((n) => field(n.name));
    const more = healthy.length > NAMED ? `, and ${healthy.length - NAMED} more` : '';
    out.push('', `No drops (${healthy.length}): ${names.join(', ')}${more}`);
  }
  if (failed.length) {
    out.push(
      '',
      `Not scanned (${failed.length} of ${r.nodes.length}):`,
      table(
        ['NODE', 'STEP', 'REASON'],
        failed.map((n) => [n.name, n.error?.step ?? '', n.error?.message ?? 'unknown']),
        3,
      ),
    );
  }
  if (r.suggestion) {
    const s = r.suggestion;
    out.push(
      '',
      `Next, reproduce between the node that drops most and the quietest one: ${s.command.map(field).join(' ')}`,
    );
  }
  return `${out.join('\n')}\n`;
}
