import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { cli } from '../../cli-helpers.js';
import { MLX5_VF_ETHTOOL_G } from '../../collectors/diagnosis/captures.js';
import { fixture } from '../../collectors/fixture-files.js';
import { writeTree } from '../../file-tree.js';

// `repro mitigate` as an operator runs it, on the built CLI.
// - The seed's case, as two snapshot raw/ trees from real captures: the
//   Azure VF enP30832s1 (mlx5_core's ethtool -S and -i, a ConnectX-4
//   capture) whose rx_out_of_buffer rises, its ring 1024 of 8192 (the
//   hand-written ethtool -g of the diagnosis tests), and an EC2 softnet_stat
//   whose CPU 1 drops at the backlog of 1000.
// - A real lab bundle (test/fixtures/bundles): BACKLOG at netdev_max_backlog=10.

const dir = mkdtempSync(join(tmpdir(), 'dropkit-mitigate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tree = (name: string, files: Record<string, string>) => writeTree(dir, name, files);

const mlx5 = fixture('ethtool_S/ethq-test-mlx5_core.txt');
const softnet = fixture('softnet_stat/aws-ec2-ubuntu-5.4.0-1084-aws-2cpu-11col.txt');
const seed = (lost: number, backlog: number) => ({
  'raw/ethtool/enP30832s1/ethtool-S.txt': mlx5.replace(
    'rx_out_of_buffer: 0',
    `rx_out_of_buffer: ${lost}`,
  ),
  'raw/ethtool/enP30832s1/ethtool-i.txt': fixture(
    'ethtool_i/mlx5_core-connectx4-ubuntu18.04-4.15-fw14.23.txt',
  ),
  'raw/ethtool/enP30832s1/ethtool-g.txt': MLX5_VF_ETHTOOL_G,
  // Column 2 of CPU 1: dropped at the backlog.
  'raw/proc/net/softnet_stat': softnet.replace(
    /^(0000db31) 00000000/m,
    `$1 ${backlog.toString(16).padStart(8, '0')}`,
  ),
  'raw/kernel/sysctl.txt': 'net.core.netdev_max_backlog = 1000\n',
});
const before = tree('before', seed(0, 0));
const after = tree('after', seed(52311, 6218));
const LAB_BUNDLE = 'test/fixtures/bundles/20261207T103655Z-compare-2-hosts.tar.gz';

const read = (out: string, rel: string) => readFileSync(join(out, rel), 'utf8');

describe('repro mitigate', () => {
  it('the seed case, linux: a udev rule for the VF by driver, rx 8192, and backlog 32768', async () => {
    const out = join(dir, 'linux');
    const r = await cli('repro', ['mitigate', before, after, '--platform', 'linux', '--out', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    const rules = read(out, 'etc/udev/rules.d/90-dropkit-ring.rules');
    const rule = rules.split('\n').find((l) => l.startsWith('ACTION'))!;
    expect(rule).toContain('ACTION=="add"');
    expect(rule).toContain('SUBSYSTEM=="net"');
    // The VF by its driver (and Hyper-V's PCI bus), never by the name it has now.
    expect(rule).toMatch(/DRIVERS=="hv_pci"/);
    expect(rule).toMatch(/mlx5_core/);
    expect(rule).not.toContain('enP30832s1');
    expect(rule).toMatch(/RUN\+="\/sbin\/ethtool -G \$name rx 8192"/);
    expect(read(out, 'etc/sysctl.d/90-dropkit.conf')).toMatch(
      /^net\.core\.netdev_max_backlog = 32768$/m,
    );
    expect(readdirSync(out).sort()).toEqual(['README.md', 'etc', 'rollback.sh']);
    // What the operator reads: each fix, from what to what, and that no host changed.
    expect(r.stdout).toMatch(/net\.core\.netdev_max_backlog\s+\(all\)\s+1000\s+32768\s+/);
    expect(r.stdout).toMatch(/enP30832s1 rx ring\s+\S+\s+1024 of 8192\s+8192\s+/);
    expect(r.stderr).toContain('nothing was changed on any host');
  });

  it('the seed case, aks: a linuxOSConfig and a privileged hostNetwork DaemonSet', async () => {
    const out = join(dir, 'aks');
    const r = await cli('repro', [
      'mitigate',
      before,
      after,
      '--platform',
      'aks',
      '--out',
      out,
      '--json',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.files.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['aks/linuxosconfig.json', 'aks/ring-daemonset.yaml', 'README.md']),
    );
    expect(j.notes.join('\n')).toMatch(/only when a node pool is created/);
    expect(JSON.parse(read(out, 'aks/linuxosconfig.json'))).toMatchObject({
      sysctls: { netCoreNetdevMaxBacklog: 32768 },
    });
    const docs = parseAllDocuments(read(out, 'aks/ring-daemonset.yaml'));
    const ds = docs.map((d) => d.toJS()).find((d) => d?.kind === 'DaemonSet');
    expect(docs.every((d) => d.errors.length === 0)).toBe(true);
    expect(ds.apiVersion).toBe('apps/v1');
    expect(ds.spec.template.spec.hostNetwork).toBe(true);
    expect(ds.spec.template.spec.containers[0].securityContext.privileged).toBe(true);
    expect(read(out, 'README.md')).toContain('--linux-os-config');
  });

  it('the seed case, networkd: a .link with RxBufferSize=8192 and a narrow [Match]', async () => {
    const out = join(dir, 'networkd');
    const r = await cli('repro', [
      'mitigate',
      before,
      after,
      '--platform',
      'networkd',
      '--out',
      out,
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const links = readdirSync(join(out, 'etc/systemd/network'));
    expect(links).toHaveLength(1);
    const link = read(out, `etc/systemd/network/${links[0]}`);
    expect(link).toMatch(/^RxBufferSize=8192$/m);
    expect(link).toMatch(/^\[Match\]\nDriver=mlx5_core$/m);
  });

  it('a real lab bundle: its BACKLOG finding, 10 -> 32768', async () => {
    const out = join(dir, 'lab');
    const r = await cli('repro', [
      'mitigate',
      LAB_BUNDLE,
      '--platform',
      'linux',
      '--out',
      out,
      '--json',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).fixes).toEqual([
      expect.objectContaining({
        setting: 'net.core.netdev_max_backlog',
        now: '10',
        permanent: '32768',
      }),
    ]);
  });

  it('bad input: nothing to fix, an unknown platform, an output directory already used', async () => {
    const none = await cli('repro', [
      'mitigate',
      before,
      '--platform',
      'linux',
      '--out',
      join(dir, 'none'),
    ]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toMatch(/no finding has a setting to make permanent/);
    const bad = await cli('repro', ['mitigate', after, '--platform', 'windows']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are linux, networkd/);
    const used = await cli('repro', [
      'mitigate',
      LAB_BUNDLE,
      '--platform',
      'linux',
      '--out',
      join(dir, 'lab'),
    ]);
    expect(used.exitCode).not.toBe(0);
    expect(used.stderr).toMatch(/already|exists|new or empty/);
  });
});
