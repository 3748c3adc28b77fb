import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lossAccounting } from '../../bundles/loss-accounting.js';
import type { PhaseResult } from '../../bundles/repro-results.js';
import type { Finding } from '../../collectors/diagnosis/engine.js';
import { parseIperf3Result } from '../../repro/iperf3-result.js';

// Real iperf3 captures (test/fixtures/iperf3/README.md); the findings are
// plain data, as the diagnosis hands them over.
const FIXTURES = join(import.meta.dirname, '../fixtures/iperf3');
function phase(name: string): PhaseResult {
  const text = readFileSync(join(FIXTURES, `${name}-client.json`), 'utf8');
  return { phase: name, result: parseIperf3Result(text).value };
}
function finding(cls: Finding['class'], packets: bigint, extra: Partial<Finding> = {}): Finding {
  return {
    class: cls,
    severity: 'critical',
    confidence: 'high',
    host: 'host-b',
    packets,
    sinceBoot: false,
    title: 't',
    explanation: 'e',
    evidence: [],
    mitigation: { summary: 's', commands: [], persistent: [] },
    ...extra,
  };
}
const WINDOW = { from: '2026-12-07T08:41:22.700Z', to: '2026-12-07T08:41:32.900Z' };

describe('loss accounting', () => {
  // udp-burst-P2: the receiver counted 42 datagrams lost.
  const lost = phase('udp-burst-P2').result!.directions[0]!.udp!.lostPackets;

  it('all of the loss at the backlog: the sum adds up, inside the guest', () => {
    expect(lost).toBe(42);
    const a = lossAccounting(
      [phase('udp-burst-P2')],
      [finding('BACKLOG', 42n, { cpus: [1] })],
      WINDOW,
    );
    expect(a.line).toBe(
      'Lost 42 = NIC/ring 0 + backlog 42 + socket 0 + qdisc 0 + unexplained 0 (UDP datagrams iperf3 counted lost; drops the guest counted during the run)',
    );
    expect(a).toMatchObject({ verdict: 'guest', unexplained: 0, tolerance: 10, counted: 42n });
    expect(a.verdictLine).toMatch(
      /inside the guest, within ±10: 42 at the backlog on host-b \(cpu1\)/,
    );
  });

  it('loss no guest counter shows is outside the guest, with the UTC window to escalate', () => {
    const a = lossAccounting([phase('udp-burst-P2')], [finding('SOCKET', 12n)], WINDOW);
    expect(a.line).toContain('socket 12');
    expect(a.line).toContain('unexplained 30');
    expect(a.verdict).toBe('outside');
    expect(a.verdictLine).toContain(
      '30 datagrams (71.4% of the loss) were lost outside the guest (wire, host or platform) between 2026-12-07T08:41:22.700Z and 2026-12-07T08:41:32.900Z (UTC)',
    );
  });

  it('more drops than loss: other traffic; SQUEEZE events and counts since boot never enter the sum', () => {
    const a = lossAccounting(
      [phase('udp-burst-P2')],
      [finding('BACKLOG', 500n), finding('SQUEEZE', 9000n), finding('RING', 7n)],
      WINDOW,
    );
    expect(a.counted).toBe(507n);
    expect(a.line).toContain('NIC/ring 7 + backlog 500');
    expect(a.line).toContain('unexplained -465');
    expect(a.verdict).toBe('more-counted');
    const boot = lossAccounting(
      [phase('udp-burst-P2')],
      [finding('BACKLOG', 42n, { sinceBoot: true })],
      WINDOW,
    );
    expect(boot.verdict).toBe('not-comparable');
    expect(boot.unexplained).toBeNull();
  });

  it('names the stages beyond the four when they dropped, and the provider allowance as the platform', () => {
    const a = lossAccounting(
      [phase('udp-burst-P2')],
      [finding('CLOUD', 40n, { iface: 'ens5' })],
      WINDOW,
    );
    expect(a.line).toBe(
      'Lost 42 = NIC/ring 0 + provider allowance 40 + backlog 0 + socket 0 + qdisc 0 + unexplained 2 (UDP datagrams iperf3 counted lost; drops the guest counted during the run)',
    );
    expect(a.verdict).toBe('guest');
    expect(a.verdictLine).toMatch(/platform shaping this VM/);
  });

  it('TCP and mixed runs are counted but get no verdict', () => {
    const tcp = lossAccounting([phase('tcp-P2')], [finding('BACKLOG', 3n)], WINDOW);
    expect(tcp.protocol).toBe('tcp');
    expect(tcp.lost).toBeNull();
    expect(tcp.line).toMatch(
      /^Dropped in the guest during the run: 3 = .*; TCP retransmitted [\d,]+ segments$/,
    );
    expect(tcp.verdict).toBe('not-comparable');
    const mixed = lossAccounting([phase('tcp-P2'), phase('udp-burst-P2')], [], WINDOW);
    expect(mixed.protocol).toBe('mixed');
    expect(mixed.verdictLine).toMatch(/mixes TCP and UDP/);
  });

  it('the tolerance is 1% of the loss, at least 10', () => {
    const big = phase('udp-burst-P2');
    big.result!.directions[0]!.udp!.lostPackets = 10_000;
    expect(lossAccounting([big], [finding('BACKLOG', 9_901n)], WINDOW).verdict).toBe('guest');
    expect(lossAccounting([big], [finding('BACKLOG', 9_899n)], WINDOW).verdict).toBe('outside');
  });
});
