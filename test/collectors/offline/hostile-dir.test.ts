import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { READ_LIMITS } from '../../../collectors/offline/limits.js';
import { loadCapture } from '../../../collectors/offline/load.js';
import { cli } from '../../cli-helpers.js';
import { FIXTURES_DIR } from '../fixture-files.js';
import { SOFTNET } from './craft-archive.js';

// `collect analyze DIR` on directories a stranger prepared (an extracted sos
// report, a snapshot directory): lstat only, links kept inside the root,
// regular files only, opened so that a FIFO cannot block.

const base = mkdtempSync(join(tmpdir(), 'dropkit-hostiledir-'));
const locked: string[] = [];
afterAll(() => {
  for (const d of locked) chmodSync(d, 0o755);
  rmSync(base, { recursive: true, force: true });
});

function sosDir(name: string): string {
  const root = join(base, name);
  const put = (fix: string, rel: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    copyFileSync(join(FIXTURES_DIR, fix), join(root, rel));
  };
  put(SOFTNET, 'proc/net/softnet_stat');
  put('ethtool_S/ethq-test-ena.txt', 'sos_commands/networking/ethtool_-S_eth0');
  put(
    'ip_link/ip-s-s-link-eth0-aws-ena-ubuntu20-iproute2-5.5-missed-in-errors-row.txt',
    'sos_commands/networking/ip_-s_-d_link',
  );
  return root;
}

const analyzeTemps = () => readdirSync(tmpdir()).filter((n) => n.startsWith('dropkit-analyze-'));

describe('collect analyze: a hostile directory', () => {
  it('a FIFO named hostname (and one named like evidence) does not hang it', async () => {
    const root = sosDir('fifo');
    await execa('mkfifo', [join(root, 'hostname')]);
    await execa('mkfifo', [join(root, 'sos_commands/networking/ethtool_-g_eth0')]);
    const r = await cli('collect', ['analyze', root, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).hosts[0].name).toBe('sos-host');
    expect(r.stderr).toMatch(/hostname: not a regular file: skipped/);
  }, 20_000);

  it('links out of the root are ignored: /, /dev/zero, /proc/self/environ, ../..', async () => {
    const root = sosDir('links');
    symlinkSync('/', join(root, 'raw'));
    symlinkSync('/etc', join(root, 'hosts'));
    symlinkSync('/proc/self/environ', join(root, 'hostname'));
    symlinkSync('/dev/zero', join(root, 'proc/uptime'));
    mkdirSync(join(root, 'etc'));
    symlinkSync('../../../../../../../etc/passwd', join(root, 'etc/os-release'));
    // A loop: reported, never followed forever.
    symlinkSync('loop', join(root, 'proc/loop'));
    symlinkSync('loop', join(root, 'proc/interrupts'));
    const warnings: string[] = [];
    const c = await loadCapture(root, { warn: (l) => warnings.push(l) });
    expect(c.after).toHaveLength(1);
    expect(c.after[0]?.host).toBe('sos-host');
    const text = warnings.join('\n');
    expect(text).toMatch(/raw: a link to "\/" is absolute, outside the directory: ignored/);
    expect(text).toMatch(/hosts: a link to "\/etc" is absolute/);
    expect(text).toMatch(/hostname: a link to "\/proc\/self\/environ" is absolute/);
    expect(text).toMatch(/uptime: a link to "\/dev\/zero" is absolute/);
    expect(text).toMatch(/os-release: a link to .* leads out of the directory: ignored/);
    expect(text).toMatch(/loop: a link to "loop" is one of more than 40 links in a row/);
    const r = await cli('collect', ['analyze', root], { DROPKIT_CANARY: 'canary-in-env' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('canary-in-env');
    expect(r.stdout + r.stderr).not.toContain('root:x:0:0');
  });

  it('a mode-000 directory is skipped or read, and nothing is left behind', async () => {
    const root = sosDir('mode000');
    const shut = join(root, 'sos_commands/kernel');
    mkdirSync(shut);
    writeFileSync(join(shut, 'sysctl_-a'), 'net.core.netdev_max_backlog = 1000\n');
    chmodSync(shut, 0o000);
    locked.push(shut);
    const before = analyzeTemps();
    const warnings: string[] = [];
    const c = await loadCapture(root, { warn: (l) => warnings.push(l) });
    expect(c.after[0]?.interfaces.some((i) => i.name === 'eth0')).toBe(true);
    // As root the directory is readable; as anyone else it is named and skipped.
    if (process.getuid?.() !== 0) expect(warnings.join('\n')).toMatch(/cannot read \(EACCES\)/);
    expect(analyzeTemps()).toEqual(before);
  });

  it('the per-file limit holds for directories too', async () => {
    const root = sosDir('big');
    writeFileSync(join(root, 'sos_commands/networking/ethtool_-S_eth1'), 'x'.repeat(5000));
    await expect(
      loadCapture(root, { limits: { ...READ_LIMITS, fileBytes: 4096 } }),
    ).rejects.toThrow(/ethtool_-S_eth1 is over the limit of 4 KiB for one file: refused/);
  });
});
