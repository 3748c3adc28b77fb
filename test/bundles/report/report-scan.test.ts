import { beforeAll, describe, expect, it } from 'vitest';
import { type ChartLibrary, chartLibrary } from '../../../bundles/report/chart-library.js';
import { reportHtml } from '../../../bundles/report/report-html.js';

// report.html of a fleet scan bundle: the ranking from scan.json first, its
// host text escaped, then the findings and hosts as a node bundle has them.

let lib: ChartLibrary;
beforeAll(async () => {
  lib = await chartLibrary();
});

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('report.html of a scan bundle', () => {
  it('opens with the ranking, the quiet nodes, the ones not scanned and the pair to run', () => {
    const files = new Map<string, Buffer>([
      [
        'summary.json',
        json({
          schema: 'dropkit.summary/1',
          kind: 'scan',
          status: 'partial',
          findings: [],
          checked: [],
          hosts: [],
        }),
      ],
      ['manifest.json', json({ kind: 'scan' })],
      [
        'scan.json',
        json({
          schema: 'dropkit.scan/1',
          intervalS: 10,
          nodes: [
            {
              name: 'host-7f3a',
              status: 'scanned',
              rank: 1,
              dropsPerSec: 67.7,
              classes: { BACKLOG: { packets: 677, perSec: 67.7 } },
              top: {
                class: 'BACKLOG',
                line: 'BACKLOG  host-7f3a cpu1: 677 packets dropped — fix: sysctl -w x=1',
                fix: 'sysctl -w x=1',
              },
            },
            { name: 'host-2b10', status: 'scanned', rank: 2, dropsPerSec: 0, classes: {} },
            {
              name: '<b>evil</b>',
              status: 'failed',
              dropsPerSec: 0,
              classes: {},
              error: { step: 'connect', message: 'timed out' },
            },
          ],
          suggestion: { command: ['repro', 'run', '--pair', 'host-2b10', 'host-7f3a'] },
        }),
      ],
    ]);
    const r = reportHtml(files, lib, { version: 'test' });
    expect(r.kind).toBe('scan');
    expect(r.html).toContain('fleet scan');
    const ranking = r.html.slice(r.html.indexOf('<section id="ranking">'));
    expect(ranking).toMatch(
      /<td>1<\/td><td>host-7f3a<\/td><td>68<\/td><td>68<\/td><td>BACKLOG {2}host-7f3a cpu1: 677 packets dropped<\/td><td>sysctl -w x=1<\/td>/,
    );
    expect(ranking).toContain('No drops: host-2b10');
    expect(ranking).toContain('&lt;b&gt;evil&lt;/b&gt;');
    expect(r.html).not.toContain('<b>evil</b>');
    expect(ranking).toContain('<code>repro run --pair host-2b10 host-7f3a</code>');
    expect(r.html.indexOf('id="ranking"')).toBeLessThan(r.html.indexOf('id="findings"'));
  });
});
