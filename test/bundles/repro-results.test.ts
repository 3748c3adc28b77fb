import { describe, expect, it } from 'vitest';
import { movedSection, resultsSection } from '../../bundles/repro-results.js';

describe('the reproduction part of summary.md', () => {
  it('keeps a failed phase in the table, its error escaped so the row holds', () => {
    const md = resultsSection([{ phase: 'burst', error: 'iperf3: exit 1 | unable to connect' }]);
    const row = md.find((l) => l.startsWith('| burst '))!;
    expect(row).toContain('iperf3: exit 1 \\| unable to connect');
    expect(row.split(/(?<!\\)\|/).length).toBe(11); // 9 cells
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
