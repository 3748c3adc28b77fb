import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli-helpers.js';
import { canRunLab } from '../lab-available.js';
import { TEST_LAB } from '../lab-helpers.js';

// `repro mitigate --apply` and `--rollback` on the lab, over real SSH. Each
// lab host has its own /etc/sysctl.d and /var/lib/dropkit (bind mounts in
// its mount namespace, kit/lab/sshd.ts): the test reads them from the lab's
// state, and checks that the machine's own /etc/sysctl.d never changes.
// netdev_max_backlog is the kernel's, shared with the machine: it is put
// back whatever happens. The fix comes from a real lab bundle (BACKLOG at
// netdev_max_backlog=10 -> 32768).

const BUNDLE = 'test/fixtures/bundles/20261207T103655Z-compare-2-hosts.tar.gz';
const BACKLOG = '/proc/sys/net/core/netdev_max_backlog';
const hostEtc = () => `${TEST_LAB.stateDir}/vmB/etc-sysctl.d`;
const hostRecords = () => `${TEST_LAB.stateDir}/vmB/var-lib-dropkit`;
const backlog = () => readFileSync(BACKLOG, 'utf8').trim();
const apply = (...more: string[]) =>
  cli('repro', ['mitigate', BUNDLE, '--platform', 'linux', '--apply', '--node', 'vmB', ...more]);
const rollback = (...more: string[]) =>
  cli('repro', ['mitigate', '--rollback', '--node', 'vmB', ...more]);

describe.skipIf(!canRunLab())('repro mitigate --apply on the lab', () => {
  let machine: string[];
  let before: string;
  beforeAll(() => {
    machine = readdirSync('/etc/sysctl.d').sort();
    before = backlog();
  });
  afterAll(async () => {
    await rollback('--yes');
    rmSync(`${hostEtc()}/90-dropkit.conf`, { force: true });
    if (backlog() !== before) writeFileSync(BACKLOG, `${before}\n`);
    expect(readdirSync('/etc/sysctl.d').sort()).toEqual(machine);
  });

  it('a dry run shows the file and the change, and changes nothing', async () => {
    const r = await apply();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('vmB: would change:');
    expect(r.stdout).toContain('install /etc/sysctl.d/90-dropkit.conf (new)');
    expect(r.stdout).toContain(`set net.core.netdev_max_backlog ${before} -> 32768`);
    expect(r.stderr).toContain('dry run: no host was changed');
    expect(backlog()).toBe(before);
    expect(existsSync(`${hostEtc()}/90-dropkit.conf`)).toBe(false);
  });

  it('--yes installs, applies, verifies and records; again: nothing to do', async () => {
    const r = await apply('--yes', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    const host = JSON.parse(r.stdout).hosts[0];
    expect(host).toMatchObject({
      host: 'vmB',
      status: 'applied',
      settings: [{ setting: 'net.core.netdev_max_backlog', from: before, to: '32768' }],
      files: [{ path: '/etc/sysctl.d/90-dropkit.conf', new: true }],
    });
    expect(backlog()).toBe('32768');
    // In vmB's own /etc, never the machine's.
    expect(readFileSync(`${hostEtc()}/90-dropkit.conf`, 'utf8')).toMatch(
      /^net\.core\.netdev_max_backlog = 32768$/m,
    );
    expect(readdirSync('/etc/sysctl.d').sort()).toEqual(machine);
    expect(readdirSync(hostRecords()).filter((f) => /^mitigate-\d+\.sh$/.test(f))).toHaveLength(1);
    const again = await apply('--yes');
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('vmB: nothing to do');
  });

  it('--rollback removes the file and puts the value back; again: nothing to roll back', async () => {
    const dry = await rollback();
    expect(dry.stdout).toContain('vmB: a rollback is recorded; it would run:');
    expect(dry.stdout).toContain(`set net.core.netdev_max_backlog back to ${before}`);
    expect(dry.stdout).toContain('remove /etc/sysctl.d/90-dropkit.conf (unless changed since)');
    expect(backlog()).toBe('32768');
    const r = await rollback('--yes');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('vmB: rolled back and verified');
    expect(r.stdout).toContain(`net.core.netdev_max_backlog = ${before}`);
    expect(r.stdout).toContain('removed /etc/sysctl.d/90-dropkit.conf');
    expect(backlog()).toBe(before);
    expect(existsSync(`${hostEtc()}/90-dropkit.conf`)).toBe(false);
    expect(readdirSync(hostRecords())).toEqual([]);
    const again = await rollback('--yes');
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('vmB: nothing to roll back');
  });

  it('a file dropkit did not write in the way: refused, and nothing is changed', async () => {
    writeFileSync(`${hostEtc()}/90-dropkit.conf`, "# the admin's own\nnet.core.somaxconn = 4096\n");
    try {
      const r = await apply('--yes');
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain('vmB: NOT applied, nothing changed:');
      expect(r.stdout).toContain(
        '/etc/sysctl.d/90-dropkit.conf is there and dropkit did not write it',
      );
      expect(backlog()).toBe(before);
      expect(readFileSync(`${hostEtc()}/90-dropkit.conf`, 'utf8')).toContain("the admin's own");
    } finally {
      rmSync(`${hostEtc()}/90-dropkit.conf`, { force: true });
    }
  });

  it('a login without sudo: a clear error naming the host and step', async () => {
    const r = await cli('repro', [
      'mitigate',
      BUNDLE,
      '--platform',
      'linux',
      '--apply',
      '--node',
      'vmA-user',
      '--yes',
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/vmA-user: FAILED at mitigate: read the host: .*sudo/);
    expect(backlog()).toBe(before);
  });

  it('bad usage: --apply without --node, a platform that is not plain Linux', async () => {
    const none = await cli('repro', ['mitigate', BUNDLE, '--platform', 'linux', '--apply']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/--apply needs the hosts/);
    const aks = await cli('repro', [
      'mitigate',
      BUNDLE,
      '--platform',
      'aks',
      '--apply',
      '--node',
      'vmB',
    ]);
    expect(aks.exitCode).toBe(2);
    expect(aks.stderr).toMatch(/--apply installs plain Linux files/);
  });
});
