import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAtomic } from '../../kit/atomic-write.js';

describe('writeAtomic', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dropkit-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the bytes with the exact mode, whatever the umask', async () => {
    const old = process.umask(0o077);
    try {
      await writeAtomic(join(dir, 'a'), 'hello', { mode: 0o640 });
    } finally {
      process.umask(old);
    }
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('hello');
    expect((await stat(join(dir, 'a'))).mode & 0o777).toBe(0o640);
  });

  it('never overwrites by default, and leaves no partial file', async () => {
    await writeFile(join(dir, 'b'), 'first');
    await expect(writeAtomic(join(dir, 'b'), 'second')).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(join(dir, 'b'), 'utf8')).toBe('first');
    expect(await readdir(dir)).toEqual(['b']);
  });

  it('with replace, swaps the file in and does not keep the old mode', async () => {
    await writeFile(join(dir, 'c'), 'old', { mode: 0o644 });
    await writeAtomic(join(dir, 'c'), Buffer.alloc(3 << 20, 7), { mode: 0o600, replace: true });
    const st = await stat(join(dir, 'c'));
    expect(st.mode & 0o777).toBe(0o600);
    expect(st.size).toBe(3 << 20);
    expect(await readdir(dir)).toEqual(['c']);
  });

  it('lets a check read the whole file before it has its name, and refuse it', async () => {
    const seen: string[] = [];
    const check = async (tmp: string) => {
      seen.push(await readFile(tmp, 'utf8'));
      // Not under its final name while it is checked.
      expect(await readdir(dir)).not.toContain('e');
    };
    await writeAtomic(join(dir, 'e'), 'checked', { check });
    expect(seen).toEqual(['checked']);
    expect(await readFile(join(dir, 'e'), 'utf8')).toBe('checked');
    const refuse = async () => {
      throw new Error('leak');
    };
    await expect(writeAtomic(join(dir, 'f'), 'refused', { check: refuse })).rejects.toThrow('leak');
    expect(await readdir(dir)).toEqual(['e']);
  });

  it('fails on a missing directory without leaving anything', async () => {
    await expect(writeAtomic(join(dir, 'no', 'd'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });
});
