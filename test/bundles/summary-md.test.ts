import { describe, expect, it } from 'vitest';
import type { HostSummary, Summary } from '../../bundles/summary.js';
import { renderSummaryMd } from '../../bundles/summary-md.js';

const host = (over: Partial<HostSummary> = {}): HostSummary => ({
  host: 'host-1a2b',
  status: 'complete',
  system: {
    kernel: '5.15.0-1057-azure',
    os: 'Ubuntu 22.04.4 LTS',
    cpus: 8,
    vmSize: 'Standard_D8s_v5',
  },
  nics: [
    { name: 'eth0', kind: 'synthetic', driver: 'hv_netvsc', mtu: 1500, state: 'up' },
    {
      name: 'enP1s1',
      kind: 'sriov-vf',
      driver: 'mlx5_core',
      firmware: '16.30.1004',
      busInfo: '0001:00:02.0',
      mtu: 1500,
      state: 'up',
      ring: { rx: 1024, rxMax: 8192, tx: 1024, txMax: 8192 },
    },
  ],
  sysctls: { 'net.core.netdev_max_backlog': '1000' },
  loss: [{ iface: 'enP1s1', source: 'ethtool', counter: 'rx_out_of_buffer', value: 1234567n }],
  softnet: [{ cpu: 3, processed: 98765432n, dropped: 4321n, timeSqueeze: 17n }],
  notCollected: [{ source: 'ethtool -g', reason: 'not supported by the driver', ifaces: ['eth0'] }],
  ...over,
});

const summary = (over: Partial<Summary> = {}): Summary => ({
  schema: 'dropkit.summary/1',
  kind: 'node',
  caseId: '2611270040001234',
  createdAt: '2026-11-27T14:15:02.000Z',
  status: 'complete',
  redacted: true,
  findings: [],
  checked: ['softnet dropped', 'rx_out_of_buffer'],
  hosts: [host()],
  ...over,
});

// A node's NICs with N pods' veths (lxc000000000000, …) after them.
function podNode(n: number) {
  const lxc = Array.from({ length: n }, (_, i) => `lxc${String(i).padStart(12, '0')}`);
  const nics = [
    ...host().nics,
    ...lxc.map((name) => ({ name, kind: 'veth', driver: 'veth', mtu: 1500, state: 'up' })),
  ];
  return { lxc, nics };
}

describe('summary.md', () => {
  it('puts the case, the status and the loss counters first, counts grouped', () => {
    const md = renderSummaryMd(summary({ note: 'drops during the nightly batch' }));
    const lines = md.split('\n');
    expect(lines[0]).toBe('# dropkit node evidence');
    expect(md).toContain('Case 2611270040001234 · created 2026-11-27T14:15:02.000Z');
    expect(md).toContain('status **COMPLETE**');
    expect(md).toContain('Note: drops during the nightly batch');
    expect(md).toContain('No counter that indicates loss moved: no finding.');
    expect(md).toContain('| host-1a2b | enP1s1 | ethtool rx_out_of_buffer | 1,234,567 |');
    expect(md).toContain('| host-1a2b | cpu3 | softnet dropped / time_squeeze | 4,321 / 17 |');
    // The at-a-glance table comes before the per-host details.
    expect(md.indexOf('Loss counters at a glance')).toBeLessThan(md.indexOf('## Host host-1a2b'));
  });

  it('writes settings as the tools print them: MTU 1500, ring 1024 (8192) with the headroom mark', () => {
    const md = renderSummaryMd(summary());
    const vf = md.split('\n').find((l) => l.startsWith('| enP1s1 '))!;
    expect(vf).toContain('| 1500 |');
    expect(vf).toContain('| 1024 (8192) ↑ |');
    expect(vf).not.toMatch(/1,500|1,024|8,192/);
    expect(md).toContain('mlx5_core');
    expect(md).toContain('0001:00:02.0');
  });

  it("folds a node's idle pod veths into one line, keeping those that drop", () => {
    const { lxc, nics } = podNode(20);
    const loss = [
      ...host().loss,
      { iface: lxc[7]!, source: 'kernel' as const, counter: 'tx_dropped', value: 146n },
    ];
    const md = renderSummaryMd(summary({ hosts: [host({ nics, loss })] }));
    const table = md.split('### NICs')[1]!.split('\n\n')[1]!;
    expect(table).toContain('| eth0 ');
    expect(table).toContain(`| ${lxc[7]} `);
    expect(table).not.toContain(`| ${lxc[0]} `);
    expect(md).toContain(
      `And 19 more veths with no loss counter above 0 (${lxc[0]}, ${lxc[1]}, ${lxc[2]}, …): every one is in summary.json.`,
    );
  });

  it("shows the veths that lost the most since boot, and folds a node's many small ones", () => {
    const { lxc, nics } = podNode(30);
    // Every pod's veth lost a packet or two since boot; lxc…07 lost 146.
    const loss = [
      ...host().loss,
      ...lxc.map((iface, i) => ({
        iface,
        source: 'kernel' as const,
        counter: 'rx_dropped',
        value: i === 7 ? 146n : BigInt(1 + (i % 2)),
      })),
    ];
    const md = renderSummaryMd(summary({ hosts: [host({ nics, loss })] }));
    const glance = md.split('## Loss counters at a glance')[1]!.split('## ')[0]!;
    expect(glance).toContain(`| host-1a2b | ${lxc[7]} | rx_dropped | 146 |`);
    expect(glance).toContain('| host-1a2b | enP1s1 | ethtool rx_out_of_buffer | 1,234,567 |');
    const rows = glance.split('\n').filter((l) => l.includes('| lxc'));
    expect(rows).toHaveLength(8);
    expect(glance).toContain(
      'host-1a2b: and 22 more counters above 0 on 22 more veths (lxc000000000017, lxc000000000019, lxc000000000021, …), each at most 2: every one is in summary.json.',
    );
    // The NIC table shows the same 8 veths.
    const table = md.split('### NICs')[1]!.split('\n\n')[1]!;
    expect(table.split('\n').filter((l) => l.startsWith('| lxc'))).toHaveLength(8);
    expect(md).toContain('And 22 more veths with fewer losses than those above, or none (');
  });

  it('says what could not be collected, and marks a partial bundle', () => {
    const md = renderSummaryMd(
      summary({
        status: 'partial',
        hosts: [
          host(),
          { ...host({ host: 'host-9f8e' }), status: 'failed', error: 'connection refused' },
        ],
      }),
    );
    expect(md).toContain('status **PARTIAL**');
    expect(md).toContain('host-9f8e (failed: connection refused)');
    expect(md).toContain('- ethtool -g: not supported by the driver (eth0)');
  });

  it('ends by saying where the raw files are and whether they were pseudonymised', () => {
    const node = renderSummaryMd(summary());
    expect(node).toContain('under `hosts/<host>/raw/`');
    expect(node).toContain('are pseudonymised consistently across the case');
    const repro = renderSummaryMd(summary({ kind: 'repro', redacted: false }));
    expect(repro).toContain('under `hosts/<host>/{before,after}/raw/`');
    expect(repro).toContain('Redaction was OFF');
    expect(repro).not.toContain('are pseudonymised');
  });
});
