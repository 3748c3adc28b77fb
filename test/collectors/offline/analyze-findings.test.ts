import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../cli-helpers.js';
import { FIXTURES_DIR } from '../fixture-files.js';

// `collect analyze BEFORE AFTER` on snapshot directories assembled from real
// captures, with the counters of interest raised in the "after" copy.

// ethtool -g in ethtool's own layout: no mlx5 -g capture exists, DESIGN.md's
// Azure VF had 1024 of 8192 descriptors.
const MLX5_RING =
  'Ring parameters for enP30832s1:\nPre-set maximums:\nRX:\t\t8192\nRX Mini:\t0\nRX Jumbo:\t0\nTX:\t\t8192\nCurrent hardware settings:\nRX:\t\t1024\nRX Mini:\t0\nRX Jumbo:\t0\nTX:\t\t1024\n';

function snapshotDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dropkit-scn-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, 'raw', rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

const fx = (rel: string) => readFileSync(join(FIXTURES_DIR, rel), 'utf8');

describe('collect analyze BEFORE AFTER: fixture scenarios', () => {
  it('an Azure mlx5 VF whose rx_out_of_buffer and missed rise: one RING finding on the VF, fix at the preset maximum', async () => {
    const common = {
      'ethtool/enP30832s1/ethtool-i.txt': fx(
        'ethtool_i/mlx5_core-connectx4-ubuntu18.04-4.15-fw14.23.txt',
      ),
      'ethtool/eth0/ethtool-i.txt': fx('ethtool_i/hv_netvsc-wsl2-5.10.102.1-microsoft.txt'),
      'ethtool/enP30832s1/ethtool-g.txt': MLX5_RING,
      'proc/net/softnet_stat': fx('softnet_stat/hjr3-softnet-stat-kernel-5_10_47.txt'),
      'host/hostname.txt': 'aks-nodepool1-0\n',
    };
    const sysfs = (missed: number) =>
      `eth0/rx_packets 1000\neth0/rx_dropped 0\neth0/driver hv_netvsc\nenP30832s1/rx_packets 845320277\nenP30832s1/rx_missed_errors ${missed}\nenP30832s1/master eth0\nenP30832s1/driver mlx5_core\n`;
    const mlx5 = fx('ethtool_S/ethq-test-mlx5_core.txt');
    const before = snapshotDir({
      ...common,
      'net/sysfs-class-net.txt': sysfs(0),
      'ethtool/enP30832s1/ethtool-S.txt': mlx5,
    });
    const after = snapshotDir({
      ...common,
      'net/sysfs-class-net.txt': sysfs(52311),
      'ethtool/enP30832s1/ethtool-S.txt': mlx5.replace(
        'rx_out_of_buffer: 0',
        'rx_out_of_buffer: 52311',
      ),
    });
    const r = await cli('collect', ['analyze', before, after, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.findings.map((f: { class: string }) => f.class)).toEqual(['RING']);
    const f = j.findings[0];
    expect(f.iface).toBe('enP30832s1');
    expect(f.packets).toBe(52311);
    expect(f.mitigation.commands).toContain('ethtool -G enP30832s1 rx 8192');
    expect(f.explanation).toMatch(/VF/);
    const text = await cli('collect', ['analyze', before, after]);
    expect(text.stdout).toMatch(
      /findings:\n {2}RING +aks-nodepool1-0 enP30832s1: .*ethtool -G enP30832s1 rx 8192/,
    );
  });

  it('ENA pps_allowance_exceeded rising: one CLOUD finding; nothing moved: no finding', async () => {
    // The ethq ENA capture predates the ENI allowance counters: appended to
    // both copies, raised in "after".
    const ena = fx('ethtool_S/ethq-test-ena.txt');
    const common = {
      'ethtool/eth0/ethtool-i.txt': fx('ethtool_i/ena-aws-t3.micro-2.5.0g.txt'),
      'ethtool/eth0/ethtool-g.txt': fx('ethtool_g/ena-aws-ens5-tabs-na.txt'),
      'net/sysfs-class-net.txt': 'eth0/rx_packets 218238\neth0/rx_dropped 0\n',
      'proc/net/softnet_stat': fx('softnet_stat/aws-ec2-ubuntu-5.4.0-1084-aws-2cpu-11col.txt'),
    };
    const before = snapshotDir({
      ...common,
      'ethtool/eth0/ethtool-S.txt': `${ena}     pps_allowance_exceeded: 10\n`,
    });
    const after = snapshotDir({
      ...common,
      'ethtool/eth0/ethtool-S.txt': `${ena}     pps_allowance_exceeded: 4010\n`,
    });
    const r = await cli('collect', ['analyze', before, after, '--json']);
    const j = JSON.parse(r.stdout);
    expect(j.findings.map((f: { class: string }) => f.class)).toEqual(['CLOUD']);
    const same = await cli('collect', ['analyze', before, before, '--json']);
    expect(JSON.parse(same.stdout).findings).toEqual([]);
    const quiet = await cli('collect', ['analyze', before, before]);
    expect(quiet.stdout).toMatch(/findings: none \(checked \d+ counters\)/);
  });
  it('softnet time_squeeze rising: one SQUEEZE finding', async () => {
    const softnet = fx('softnet_stat/blog-4cpu-11col-time_squeeze-nonzero.txt');
    // 0x36 → 0x1036 on CPU 0: 4096 more squeezes, nothing dropped.
    const raised = softnet.replace(/^(000060e1 00000000 )00000036/m, '$100001036');
    const common = {
      'net/sysfs-class-net.txt': 'eth0/rx_packets 1000\neth0/rx_dropped 0\n',
      'host/hostname.txt': 'node-sq\n',
    };
    const sysctl = {
      'kernel/sysctl.txt': 'net.core.netdev_budget = 300\nnet.core.netdev_budget_usecs = 2000\n',
    };
    const before = snapshotDir({ ...common, ...sysctl, 'proc/net/softnet_stat': softnet });
    const after = snapshotDir({ ...common, ...sysctl, 'proc/net/softnet_stat': raised });
    const j = JSON.parse((await cli('collect', ['analyze', before, after, '--json'])).stdout);
    expect(j.findings.map((f: { class: string }) => f.class)).toEqual(['SQUEEZE']);
    expect(j.findings[0].mitigation.commands.join(' ')).toMatch(/net\.core\.netdev_budget=600/);
    // Without the budget read, the fix reads it first and proposes nothing.
    const blindBefore = snapshotDir({ ...common, 'proc/net/softnet_stat': softnet });
    const blindAfter = snapshotDir({ ...common, 'proc/net/softnet_stat': raised });
    const b = JSON.parse(
      (await cli('collect', ['analyze', blindBefore, blindAfter, '--json'])).stdout,
    );
    expect(b.findings[0].mitigation.commands).toEqual([]);
    expect(b.findings[0].mitigation.checks).toEqual([
      'sysctl net.core.netdev_budget net.core.netdev_budget_usecs',
    ]);
  });

  it('mana hc_rx_discards_no_wqe rising: one RING finding', async () => {
    // The capture predates the hc_rx_discards_no_wqe name: appended to both copies.
    const mana = fx('ethtool_S/mana-azure-per-queue-partial-before-affinity-change.txt');
    const common = {
      'net/sysfs-class-net.txt':
        'eth0/rx_packets 1000\neth0/driver hv_netvsc\nenP7s1/rx_packets 4230152\nenP7s1/master eth0\nenP7s1/driver mana\n',
      'host/hostname.txt': 'node-mana\n',
    };
    const before = snapshotDir({
      ...common,
      'ethtool/enP7s1/ethtool-S.txt': `${mana}     hc_rx_discards_no_wqe: 0\n`,
    });
    const after = snapshotDir({
      ...common,
      'ethtool/enP7s1/ethtool-S.txt': `${mana}     hc_rx_discards_no_wqe: 7000\n`,
    });
    const j = JSON.parse((await cli('collect', ['analyze', before, after, '--json'])).stdout);
    expect(j.findings.map((f: { class: string }) => f.class)).toEqual(['RING']);
    expect(j.findings[0].iface).toBe('enP7s1');
  });

  it('hv_netvsc tx_no_space rising: one TXQ finding', async () => {
    const netvsc = fx('ethtool_S/hv_netvsc-wsl2-5.10.102.1-microsoft-elided.txt');
    const common = {
      'net/sysfs-class-net.txt': 'eth0/tx_packets 100000\neth0/driver hv_netvsc\n',
      'ethtool/eth0/ethtool-i.txt': fx('ethtool_i/hv_netvsc-wsl2-5.10.102.1-microsoft.txt'),
      'host/hostname.txt': 'node-netvsc\n',
    };
    const before = snapshotDir({ ...common, 'ethtool/eth0/ethtool-S.txt': netvsc });
    const after = snapshotDir({
      ...common,
      'ethtool/eth0/ethtool-S.txt': netvsc.replace('tx_no_space: 0', 'tx_no_space: 2500'),
    });
    const j = JSON.parse((await cli('collect', ['analyze', before, after, '--json'])).stdout);
    expect(j.findings.map((f: { class: string }) => f.class)).toEqual(['TXQ']);
  });
});
