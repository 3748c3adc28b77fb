import { formatBitRate } from '../../kit/bit-rate.js';
import { thousands } from '../../kit/thousands.js';
import { h } from './html.js';
import { arr, cell, field, num, str } from './json-read.js';

// The top of the page: what kind of bundle, which hosts in which role, the
// time window in UTC, the case; and a run's traffic results (repro) or the
// comparison's table (compare). From summary.json and compare.json. Pure.

export function factsList(rows: Array<[string, string | undefined]>): string {
  const shown = rows.filter((r): r is [string, string] => !!r[1]);
  return `<dl class="facts">${shown.map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`).join('')}</dl>`;
}

function utcSpan(from: unknown, to: unknown): string | undefined {
  const a = str(from);
  const b = str(to);
  return a || b ? `${a ?? '?'} → ${b ?? '?'} (UTC)` : undefined;
}

export function commonFacts(
  summary: unknown,
  manifest: unknown,
): Array<[string, string | undefined]> {
  return [
    ['bundle', str(field(summary, 'kind')) ?? str(field(manifest, 'kind'))],
    ['status', str(field(summary, 'status')) ?? str(field(manifest, 'status'))],
    ['case', str(field(summary, 'caseId')) ?? str(field(manifest, 'caseId')) ?? 'none'],
    ['created', str(field(summary, 'createdAt')) ?? str(field(manifest, 'createdAt'))],
    ['note', str(field(summary, 'note'))],
    [
      'redacted',
      field(summary, 'redacted') === false
        ? 'no (--no-redact)'
        : field(summary, 'redacted') === true
          ? 'yes: names and addresses are pseudonyms'
          : undefined,
    ],
  ];
}

// A repro bundle's run: profile, roles, window.
export function reproFacts(summary: unknown): Array<[string, string | undefined]> {
  const r = field(summary, 'repro');
  const acc = field(field(r, 'accounting'), 'window');
  return [
    ['profile', str(field(r, 'profile'))],
    ['sender', str(field(r, 'sender'))],
    ['receiver', str(field(r, 'receiver'))],
    ['run', utcSpan(field(r, 'startedAt'), field(r, 'endedAt'))],
    ['traffic', utcSpan(field(acc, 'from'), field(acc, 'to'))],
    [
      'stopped early',
      str(field(r, 'error')) ?? (field(r, 'interrupted') === true ? 'interrupted' : undefined),
    ],
  ];
}

export function nodeFacts(summary: unknown): Array<[string, string | undefined]> {
  const hosts = arr(field(summary, 'hosts')).flatMap((x) => str(field(x, 'host')) ?? []);
  return [['hosts', hosts.join(', ') || undefined]];
}

function pct(v: number | undefined): string {
  return v === undefined ? '-' : `${v < 10 ? v.toFixed(2) : v.toFixed(1)}%`;
}

// The traffic as iperf3 measured it, per phase and direction, then where
// the loss went and the checks on the run.
export function resultsSection(summary: unknown, id = 'results'): string {
  const r = field(summary, 'repro');
  if (!r) return '';
  const rows = arr(field(r, 'phases')).flatMap((p) => {
    const phase = str(field(p, 'phase')) ?? '';
    const error = str(field(p, 'error'));
    const dirs = arr(field(p, 'directions'));
    if (!dirs.length) return [[phase, '', '-', '-', '-', '-', '-', error ?? '']];
    return dirs.map((d) => {
      const udp = field(d, 'udp');
      const lost = num(field(udp, 'lostPackets'));
      const packets = num(field(udp, 'packets'));
      const jitter = num(field(udp, 'jitterMs'));
      const retr = num(field(d, 'retransmits'));
      return [
        phase,
        str(field(d, 'direction')) ?? '',
        formatBitRate(num(field(d, 'medianBitsPerSecond'))),
        packets === undefined ? '-' : thousands(packets),
        lost === undefined ? '-' : `${thousands(lost)} (${pct(num(field(udp, 'lostPercent')))})`,
        jitter === undefined ? '-' : `${jitter.toFixed(3)} ms`,
        retr === undefined ? '-' : thousands(retr),
        error ?? '',
      ];
    });
  });
  const acc = field(r, 'accounting');
  const checks = arr(field(r, 'checks')).filter((c) => str(field(c, 'level')) !== 'ok');
  const head = [
    'phase',
    'direction',
    'median throughput',
    'UDP packets',
    'lost',
    'jitter',
    'TCP retransmits',
    'error',
  ];
  return `<section id="${id}"><h2>Traffic results</h2>
${rows.length ? `<table><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((c) => `<td>${h(cell(c))}</td>`).join('')}</tr>`).join('')}</tbody></table>` : '<p class="none">No traffic result.</p>'}
${str(field(acc, 'line')) ? `<h3>Where the loss went</h3><p class="accounting">${h(str(field(acc, 'line'))!)}</p><p class="verdict">${h(str(field(acc, 'verdictLine')) ?? '')}</p>` : ''}
${checks.length ? `<h3>Checks on the run</h3><ul class="checks">${checks.map((c) => `<li class="${str(field(c, 'level')) === 'problem' ? 'problem' : 'note'}">${h(str(field(c, 'message')) ?? '')}</li>`).join('')}</ul>` : ''}
</section>`;
}
