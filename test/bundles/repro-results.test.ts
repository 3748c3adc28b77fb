import { describe, expect, it } from 'vitest';
import { movedSection, resultsSection } from '../../bundles/repro-results.js';

describe('the reproduction part of summary.md', () => {
  it('keeps a failed phase in the table, its error escaped so the row holds', () => {
    const md = resultsSection([{ phase: 'burst', error: 'iperf3: exit 1 | unable to connect' }]);
    const row = md.find((l) => l.startsWith('| burst '))!;
    expect(row).toContain('iperf3: exit 1 \\| unable to connect');
    expect(row.split(/(?<!\\)\|/).length).toBe(11); // 9 cells
  });

  it('shows the 30 counters that moved most, and says how many more moved', () => {
    const moved = Array.from({ length: 40 }, (_, i) => ({
      host: 'h1',
      key: `iface.lxc${String(i).padStart(12, '0')}.tx_dropped`,
      delta: BigInt(i === 0 ? 598 : 1 + (i % 3)),
      peakRatePerSec: 10,
      from: Date.UTC(2026, 10, 27, 16, 55, 7),
      to: Date.UTC(2026, 10, 27, 16, 55, 17),
    }));
    const md = movedSection(moved, new Map([['h1', 'receiver']]));
    const rows = md.filter((l) => l.startsWith('| h1 '));
    expect(rows).toHaveLength(30);
    expect(rows[0]).toContain('| iface.lxc000000000000.tx_dropped | 598 |');
    expect(md.at(-1)).toBe(
      'And 10 more counters moved, each by at most 1: every one is in `repro/series.csv`.',
    );
  });

  it('times the counters that moved in ISO 8601 UTC', () => {
    const md = movedSection(
      [
        {
          host: 'h1',
          key: 'softnet.cpu1.dropped',
          delta: 21332n,
          peakRatePerSec: 32008.4,
          from: Date.UTC(2026, 10, 27, 16, 55, 7, 657),
          to: Date.UTC(2026, 10, 27, 16, 55, 17, 655),
        },
      ],
      new Map([['h1', 'receiver']]),
    );
    expect(md).toContain(
      '| h1 (receiver) | softnet.cpu1.dropped | 21,332 | 32,008/s | 2026-11-27T16:55:07.657Z → 2026-11-27T16:55:17.655Z |',
    );
  });
});
