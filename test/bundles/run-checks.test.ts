import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PhaseResult } from '../../bundles/repro-results.js';
import { runChecks } from '../../bundles/run-checks.js';
import { parseIperf3Result } from '../../repro/iperf3-result.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/iperf3');
function phase(name: string): PhaseResult {
  const text = readFileSync(join(FIXTURES, `${name}-client.json`), 'utf8');
  return { phase: 'burst', result: parseIperf3Result(text).value };
}

describe('a run that checks itself', () => {
  it('a sender far below the target says so, with its CPU', () => {
    // udp-sender-bound: -b 100G on loopback; the sender reached well under 1%.
    const checks = runChecks([phase('udp-sender-bound')], []);
    const rate = checks.find((c) => c.id === 'rate')!;
    expect(rate.level).toBe('problem');
    expect(rate.message).toMatch(
      /^burst: the sender reached [\d.]+ [MG]bit\/s of the profile's 100(\.0)? Gbit\/s \(\d%\) at \d+% CPU \(iperf3's own figure\)/,
    );
  });

  it('a sender at its target is ok; the rate is per stream times streams', () => {
    // udp-burst-P2: -b 500M -P 2, 1 Gbit/s in all.
    const checks = runChecks([phase('udp-burst-P2')], []);
    const rate = checks.find((c) => c.id === 'rate')!;
    expect(rate.level).toBe('ok');
    expect(rate.message).toMatch(/of 1(\.00)? Gbit\/s \(\d+%\)/);
  });

  it('loss bunched in one interval is flagged; a spread one is not', () => {
    const p = phase('udp-burst-P2');
    const d = p.result!.directions[0]!;
    // Four half-second intervals on the receiver, with most loss in the first.
    d.received = [0, 0.5, 1, 1.5].map((start, i) => ({
      timestamp: start,
      start,
      end: start + 0.5,
      bytes: 1,
      bitsPerSecond: 1,
      omitted: false,
      lostPackets: [900, 50, 30, 20][i]!,
    }));
    const bunched = runChecks([p], []).find((c) => c.id === 'loss-timing')!;
    expect(bunched.level).toBe('problem');
    expect(bunched.message).toBe(
      'burst: 90% of the loss (900 of 1,000) fell in the first interval, 0.0–0.5 s; an average over the 4 intervals hides it.',
    );
    for (const x of d.received) x.lostPackets = 250;
    expect(runChecks([p], []).find((c) => c.id === 'loss-timing')).toBeUndefined();
  });

  it("iperf3's tail interval is partial: named, and out of the median", () => {
    const p = phase('udp-burst-P2');
    const d = p.result!.directions[0]!;
    const tail = { ...d.received.at(-1)!, start: 2.0, end: 2.003, bitsPerSecond: 9e9 };
    d.received.push(tail);
    const note = runChecks([p], []).find((c) => c.id === 'partial-interval')!;
    expect(note.message).toBe(
      'burst: the interval 2.000–2.003 s (3 ms) is partial: left out of the median and the per-second figures (the totals count it).',
    );
  });

  it('sources that could not be read are listed by host', () => {
    const checks = runChecks(
      [],
      [{ host: 'h1', notCollected: [{ source: 'sysctl', reason: 'not visible', ifaces: [] }] }],
    );
    expect(checks).toEqual([
      {
        id: 'not-collected',
        level: 'note',
        message: 'h1: 1 source(s) could not be read (sysctl); see "Not collected" under the host.',
      },
    ]);
  });
});

describe('a finding that depends on a setting that could not be read', () => {
  it('is a problem of the run, naming the finding and the setting', () => {
    const checks = runChecks(
      [],
      [],
      [{ class: 'BACKLOG', host: 'h2', unknown: ['net.core.netdev_max_backlog'] }],
    );
    expect(checks).toEqual([
      {
        id: 'not-collected',
        level: 'problem',
        message:
          'BACKLOG on h2: its fix depends on net.core.netdev_max_backlog, which could not be read; the fix says how to read it first, and the bundle is partial.',
      },
    ]);
  });
});
