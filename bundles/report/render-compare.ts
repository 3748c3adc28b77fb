import { formatBitRate } from '../../kit/bit-rate.js';
import { thousands } from '../../kit/thousands.js';
import { h, table } from './html.js';
import { arr, field, num, obj, str } from './json-read.js';

// A comparison's top: its facts, the table (one row per variant, medians
// over repeats with their min–max), the verdicts, what was changed and
// restored, and each run's accounting line. From compare.json and each
// run's summary.json. Pure.

export function compareFacts(
  compare: unknown,
  roles: Array<{ host: string; role: string }>,
): Array<[string, string | undefined]> {
  const by = (role: string) =>
    roles
      .filter((r) => r.role === role)
      .map((r) => r.host)
      .join(', ') || undefined;
  const variants = arr(field(compare, 'variants')).flatMap((v) => str(field(v, 'name')) ?? []);
  return [
    ['profile', str(field(compare, 'profile'))],
    ['sender', by('sender')],
    ['receiver', by('receiver')],
    ['variants', variants.join(', ') || undefined],
    ['baseline', str(field(compare, 'baseline'))],
    ['order', str(field(compare, 'order'))],
    ['repeats', num(field(compare, 'repeats'))?.toString()],
    [
      'runs',
      str(field(compare, 'startedAt'))
        ? `${str(field(compare, 'startedAt'))} → ${str(field(compare, 'endedAt')) ?? '?'} (UTC)`
        : undefined,
    ],
    [
      'stopped early',
      str(field(compare, 'error')) ??
        (field(compare, 'interrupted') === true ? 'interrupted' : undefined),
    ],
  ];
}

function withRange(
  v: unknown,
  key: string,
  show: (n: number) => string,
  range: (r: unknown) => unknown,
): string {
  const n = num(field(v, key));
  if (n === undefined) return '-';
  const r = arr(range(field(v, 'range')));
  const lo = num(r[0]);
  const hi = num(r[1]);
  return lo !== undefined && hi !== undefined ? `${show(n)} (${show(lo)}–${show(hi)})` : show(n);
}

const pct = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)}%`;
const count = (n: number) => thousands(Math.round(n));

function settings(v: unknown): string {
  const s = arr(field(v, 'settings')).map(
    (x) =>
      `${str(field(x, 'setting')) ?? '?'} ${str(field(x, 'from')) ?? '?'} → ${str(field(x, 'to')) ?? '?'} (${str(field(x, 'role')) ?? '?'})`,
  );
  return s.join('; ') || 'none';
}

export function compareSection(compare: unknown, runs: Array<{ dir: string; summary: unknown }>) {
  const variants = arr(field(compare, 'variants'));
  const classes = [
    ...new Set(variants.flatMap((v) => Object.keys(obj(field(v, 'dropsByClass')) ?? {}))),
  ].sort();
  const rows = variants.map((v) => [
    str(field(v, 'name')) ?? '?',
    settings(v),
    withRange(
      v,
      'throughputBps',
      (n) => formatBitRate(n),
      (r) => field(r, 'throughputBps'),
    ),
    withRange(
      v,
      'throughputP10Bps',
      (n) => formatBitRate(n),
      (r) => field(r, 'throughputP10Bps'),
    ),
    withRange(v, 'lossPercent', pct, (r) => field(r, 'lossPercent')),
    withRange(v, 'retransmits', count, (r) => field(r, 'retransmits')),
    ...classes.map((c) =>
      withRange(
        { ...obj(field(v, 'dropsByClass')), range: field(field(v, 'range'), 'dropsByClass') },
        c,
        count,
        (r) => field(r, c),
      ),
    ),
  ]);
  const verdicts = variants.flatMap((v) => str(field(v, 'verdict')) ?? []);
  const restore = arr(field(compare, 'restore')).map((r) => [
    str(field(r, 'host')) ?? '?',
    str(field(r, 'role')) ?? '',
    str(field(r, 'status')) ?? '?',
    str(field(r, 'detail')) ?? '',
    str(field(r, 'command')) ?? '',
  ]);
  const perRun = runs.map((r) => {
    const acc = field(field(r.summary, 'repro'), 'accounting');
    return [r.dir, str(field(acc, 'line')) ?? '-', str(field(acc, 'verdictLine')) ?? ''];
  });
  return `<section id="results"><h2>Comparison</h2>
${table(
  [
    'variant',
    'settings',
    'throughput median',
    'throughput p10',
    'UDP loss',
    'TCP retransmits',
    ...classes.map((c) => `${c} drops`),
  ],
  rows,
)}
${verdicts.length ? `<ul class="verdicts">${verdicts.map((v) => `<li>${h(v)}</li>`).join('')}</ul>` : ''}
${restore.length ? `<h3>What was changed and restored</h3>${table(['host', 'role', 'status', 'detail', 'to finish it'], restore)}` : ''}
${perRun.length ? `<h3>Where the loss went, per run</h3>${table(['run', 'accounting', 'verdict'], perRun)}` : ''}
</section>`;
}
