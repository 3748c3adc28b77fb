import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DropkitError } from '../../kit/errors.js';
import { writeNewTree } from '../../kit/write-new-tree.js';

// --out may be a shared directory where someone else planted links.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-tree-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(
  p: Promise<unknown>,
  hint = 'use a new or empty directory for --out',
): Promise<DropkitError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DropkitError);
  expect((e as DropkitError).code).toBe('OUT_NOT_WRITABLE');
  expect((e as DropkitError).hint).toContain(hint);
  return e as DropkitError;
}

const files = [
  { path: 'snapshot.json', bytes: '{}\n' },
  { path: 'raw/ethtool/eth0/ethtool-S.txt', bytes: Buffer.from('S') },
  { path: 'raw/ethtool/eth0/ethtool-i.txt', bytes: Buffer.from('i') },
  { path: 'raw/ethtool/eth1/ethtool-S.txt', bytes: Buffer.from('S1') },
  { path: 'raw/host/uname.txt', bytes: Buffer.from('Linux') },
];

describe('writing a new tree under a directory', () => {
  it('creates every folder and file, for the operator only', async () => {
    const out = join(dir, 'a', 'b');
    await writeNewTree(out, files);
    expect(await readFile(join(out, 'raw/ethtool/eth1/ethtool-S.txt'), 'utf8')).toBe('S1');
    expect(await readFile(join(out, 'snapshot.json'), 'utf8')).toBe('{}\n');
    expect((await lstat(join(out, 'raw/ethtool/eth0'))).mode & 0o777).toBe(0o700);
    expect((await lstat(join(out, 'raw/host/uname.txt'))).mode & 0o777).toBe(0o600);
  });

  it('writes into an existing empty directory, and through a link the user named as DIR', async () => {
    await mkdir(join(dir, 'real'));
    await symlink(join(dir, 'real'), join(dir, 'link'));
    await writeNewTree(join(dir, 'link'), files);
    expect((await readdir(join(dir, 'real'))).sort()).toEqual(['raw', 'snapshot.json']);
  });

  it('refuses a planted raw -> elsewhere link, and writes nothing at all', async () => {
    const elsewhere = join(dir, 'elsewhere');
    const out = join(dir, 'shared');
    await mkdir(elsewhere);
    await mkdir(out);
    await symlink(elsewhere, join(out, 'raw'));
    const e = await refusal(writeNewTree(out, files));
    expect(e.message).toBe(
      `refusing to write ${join(out, 'raw')}: a symbolic link to ${JSON.stringify(elsewhere)} is already there, and nothing is written through an existing file or link`,
    );
    expect(await readdir(elsewhere)).toEqual([]);
    expect(await readdir(out)).toEqual(['raw']);
  });

  it('refuses a planted snapshot.json -> victim link; the victim is untouched', async () => {
    const victim = join(dir, 'victim-profile');
    await writeFile(victim, 'export SAFE=1\n');
    const out = join(dir, 'shared');
    await mkdir(out);
    await symlink(victim, join(out, 'snapshot.json'));
    const e = await refusal(writeNewTree(out, files));
    expect(e.message).toContain('a symbolic link to');
    expect(await readFile(victim, 'utf8')).toBe('export SAFE=1\n');
    expect((await readdir(out)).sort()).toEqual(['snapshot.json']);
  });

  it('refuses a dangling link, an existing file and an existing folder alike', async () => {
    for (const plant of ['link', 'file', 'dir'] as const) {
      const out = join(dir, `shared-${plant}`);
      await mkdir(out);
      const at = join(out, 'raw');
      if (plant === 'link') await symlink(join(dir, 'nowhere', 'x'), at);
      if (plant === 'file') await writeFile(at, 'x');
      if (plant === 'dir') await mkdir(at);
      const e = await refusal(writeNewTree(out, files));
      expect(e.message).toContain(
        { link: 'a symbolic link to', file: 'a file is', dir: 'a directory is' }[plant],
      );
    }
    await expect(lstat(join(dir, 'nowhere'))).rejects.toThrow();
  });

  it('checks every path before writing anything', async () => {
    const out = join(dir, 'out');
    const e = await refusal(
      writeNewTree(out, [...files, { path: 'raw/ethtool/../../../../x', bytes: 'x' }]),
      'may be forged',
    );
    expect(e.message).toContain('".." segment');
    await expect(lstat(out)).rejects.toThrow();
  });
});
