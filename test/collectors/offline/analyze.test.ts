import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../cli-helpers.js';
import { FIXTURES_DIR } from '../fixture-files.js';

// A sos report directory assembled from real captures (AWS ENA host).
function sosDir(
  root: string,
  softnet = 'softnet_stat/aws-ec2-ubuntu-5.4.0-1084-aws-2cpu-11col.txt',
): string {
  const put = (fix: string, rel: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    copyFileSync(join(FIXTURES_DIR, fix), join(root, rel));
  };
  put(softnet, 'proc/net/softnet_stat');
  put(
    'ip_link/ip-s-s-link-eth0-aws-ena-ubuntu20-iproute2-5.5-missed-in-errors-row.txt',
    'sos_commands/networking/ip_-s_-d_link',
  );
  put('ethtool_S/ethq-test-ena.txt', 'sos_commands/networking/ethtool_-S_eth0');
  put('ethtool_g/ena-aws-ens5-tabs-na.txt', 'sos_commands/networking/ethtool_-g_eth0');
  put('ethtool_i/ena-aws-t3.micro-2.5.0g.txt', 'sos_commands/networking/ethtool_-i_eth0');
  put(
    'ethtool_S/iwlwifi-laptop-debian11-u64max-values.txt',
    'sos_commands/networking/ethtool_-S_wlp3s0',
  );
  put('proc_net_dev/debian11-laptop-lo-enp0s31f6-wlp3s0.txt', 'proc/net/dev');
  writeFileSync(join(root, 'hostname'), 'ip-10-101-0-12\n');
  return root;
}

describe('collect analyze', () => {
  let dir: string;
  beforeAll(() => {
    dir = sosDir(mkdtempSync(join(tmpdir(), 'dropkit-sos-')));
  });

  it('reads a sos-layout directory: per-interface and per-CPU figures', async () => {
    const r = await cli('collect', ['analyze', dir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schema).toBe('dropkit.analyze/1');
    const h = j.hosts[0];
    expect(h.name).toBe('ip-10-101-0-12');
    const eth0 = h.interfaces.find((i: { name: string }) => i.name === 'eth0');
    // From the ip -s -s link capture: RX 287035161 bytes, 218238 packets; missed 0 in the errors row.
    expect(eth0.kernel.rx_packets).toBe(218238);
    expect(eth0.kernel.rx_bytes).toBe(287035161);
    expect(eth0.kernel.rx_missed_errors).toBe(0);
    expect(eth0.driver).toBe('ena');
    expect(eth0.ring).toEqual({ rx: 1024, rxMax: 16384, tx: 1024, txMax: 1024 });
    expect(eth0.ethtool.tx_timeout).toBe(0);
    // softnet: 000047f2 and 0000db31 processed on CPUs 0 and 1.
    expect(h.softnet.map((s: { processed: number }) => s.processed)).toEqual([0x47f2, 0xdb31]);
    // u64 max stays exact: a string, not 18446744073709552000.
    const wl = h.interfaces.find((i: { name: string }) => i.name === 'wlp3s0');
    expect(wl.ethtool.noise).toBe('18446744073709551615');
    expect(r.stdout).toContain('"noise": "18446744073709551615"');
  });

  it('prints a table a human can read', async () => {
    const r = await cli('collect', ['analyze', dir]);
    expect(r.stdout).toMatch(/^eth0\s+ena\s+physical\s+218,238\s+0\s+0\s+0\s+0\s+1024\/16384$/m);
  });

  it('with two paths prints deltas by the same names, and reads tarballs', async () => {
    const after = sosDir(
      mkdtempSync(join(tmpdir(), 'dropkit-sos-')),
      'softnet_stat/blog-4cpu-11col-time_squeeze-nonzero.txt',
    );
    const tgz = join(tmpdir(), `dropkit-sos-${process.pid}.tar.gz`);
    await execa('tar', ['-czf', tgz, '-C', dirname(after), after.split('/').pop()!]);
    const r = await cli('collect', ['analyze', dir, tgz, '--json']);
    expect(r.exitCode).toBe(0);
    const d = JSON.parse(r.stdout).deltas[0];
    expect(d.interfaces.find((i: { name: string }) => i.name === 'eth0').kernel.rx_packets).toBe(0);
    // CPUs 2 and 3 only exist in the after capture; CPU 0's counter is compared.
    expect(d.softnet[0].cpu).toBe(0);
    expect(typeof d.softnet[0].timeSqueeze).toBe('number');
  });

  it('a path that is not evidence is a clear error', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dropkit-empty-'));
    const r = await cli('collect', ['analyze', empty]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not a dropkit snapshot, bundle or sos report/);
  });
});
