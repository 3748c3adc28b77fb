import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COLLECTORS } from '../../../collectors/registry.js';
import { buildSnapshot } from '../../../collectors/snapshot/build.js';
import { writeSnapshotDir } from '../../../collectors/snapshot/write.js';
import { section as sec } from './section.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const taken = buildSnapshot({
  host: 'h',
  takenAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1,
  sections: [
    sec('sysfs_net', 'eth0/mtu 1500'),
    sec('ethtool_S', 'NIC statistics:\n     rx: 1\n', 'eth0'),
    sec('uname', 'Linux h 6.1.0 x86_64\n'),
  ],
  specs: COLLECTORS,
});

describe('collect snapshot --out DIR', () => {
  it('writes snapshot.json and raw/, byte-exact', async () => {
    await writeSnapshotDir(join(dir, 'out'), taken);
    expect(await readFile(join(dir, 'out/raw/ethtool/eth0/ethtool-S.txt'), 'utf8')).toBe(
      'NIC statistics:\n     rx: 1\n',
    );
    expect(JSON.parse(await readFile(join(dir, 'out/snapshot.json'), 'utf8')).host).toBe('h');
  });

  it('never writes through a link planted in a shared DIR', async () => {
    const shared = join(dir, 'shared');
    const victim = join(dir, 'victim');
    await mkdir(shared);
    await mkdir(victim);
    await writeFile(join(victim, '.profile'), 'ok\n');
    await symlink(join(victim, '.profile'), join(shared, 'snapshot.json'));
    await expect(writeSnapshotDir(shared, taken)).rejects.toThrow(
      /refusing to write .*snapshot\.json: a symbolic link to/,
    );
    expect(await readFile(join(victim, '.profile'), 'utf8')).toBe('ok\n');
    expect(await readdir(shared)).toEqual(['snapshot.json']);
  });

  it('refuses a raw path that would leave DIR, even from a caller that skipped the checks', async () => {
    const forged = {
      ...taken,
      raw: [{ ...taken.raw[0]!, path: 'ethtool/../../../../pwned/x' }],
    };
    await expect(writeSnapshotDir(join(dir, 'out'), forged)).rejects.toThrow(/".." segment/);
    await expect(lstat(join(dir, 'out'))).rejects.toThrow();
    await expect(lstat(join(dir, 'pwned'))).rejects.toThrow();
  });
});
