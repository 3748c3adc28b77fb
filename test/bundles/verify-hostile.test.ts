import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { readTarGz, writeTarGz } from '../../bundles/archive.js';
import { sha256 } from '../../bundles/entries.js';
import { verifyBundle } from '../../bundles/verify.js';
import { cli } from '../cli-helpers.js';
import {
  measure,
  writeBomb,
  writeManyEntries,
  writeTar,
} from '../collectors/offline/craft-archive.js';
import { minimalBundle } from './minimal-bundle.js';

// `collect verify` and `collect show` on archives a stranger sent: where its
// files would land, whether it is the file that was created, and bounds.

const dir = mkdtempSync(join(tmpdir(), 'dropkit-verifyh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundleUnder(
  name: string,
  top: string,
  extra: { name: string; type: 'directory' }[] = [],
) {
  const file = join(dir, name);
  await writeTar(file, [
    ...extra,
    ...minimalBundle().map((f) => ({ name: `${top}${f.path}`, data: f.bytes })),
  ]);
  return file;
}

describe('collect verify: where the files would land', () => {
  it.each([
    ['dotdot.tar.gz', '../', /unsafe top-level directory "\.\."/],
    [
      'root.tar.gz',
      '/',
      /unsafe top-level directory "": a bundle unpacks into one named directory/,
    ],
    ['dot.tar.gz', './', /unsafe top-level directory "\."/],
    ['deep.tar.gz', 'b/../../', /unsafe path in the archive: "b\/\.\.\/\.\.\/summary\.md"/],
  ])('%s (top %s) is a problem, exit 7', async (name, top, problem) => {
    const file = await bundleUnder(name, top);
    const r = await verifyBundle(file);
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toMatch(problem);
    const c = await cli('collect', ['verify', file]);
    expect(c.exitCode).toBe(7);
    expect(c.stdout).toMatch(/^PROBLEM: unsafe/m);
    expect(c.stdout).toMatch(/^INVALID: /m);
  });

  it('a directory entry outside the top is a problem too', async () => {
    const file = await bundleUnder('dir.tar.gz', 'b/', [{ name: '../', type: 'directory' }]);
    const r = await verifyBundle(file);
    expect(r.problems).toContain('expected one top-level directory, found 2');
    expect(r.problems).toContain('unsafe path in the archive: ".."');
  });

  it('a well-formed bundle is still OK', async () => {
    const file = await bundleUnder('good-top.tar.gz', 'b/', [{ name: 'b/', type: 'directory' }]);
    expect((await verifyBundle(file)).problems).toEqual([]);
  });
});

describe('collect verify --sha256', () => {
  it('matches the sha256 printed at creation: OK; any other file: exit 7; not hex: exit 2', async () => {
    const file = join(dir, 'sha.tar.gz');
    await writeTarGz(file, 'b', minimalBundle(), new Date());
    const hex = sha256(readFileSync(file));
    const good = await cli('collect', ['verify', file, '--sha256', hex.toUpperCase(), '--json']);
    expect(good.exitCode, good.stdout).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ ok: true, sha256: hex });
    const other = `${hex.slice(0, 63)}${hex[63] === '0' ? '1' : '0'}`;
    const bad = await cli('collect', ['verify', file, '--sha256', other]);
    expect(bad.exitCode).toBe(7);
    expect(bad.stdout).toContain(
      `PROBLEM: the file's sha256 is ${hex}, not ${other} (--sha256): this is not the bundle that was created`,
    );
    const notHex = await cli('collect', ['verify', file, '--sha256', 'abc']);
    expect(notHex.exitCode).toBe(2);
    expect(notHex.stderr).toMatch(/must be a sha256: 64 hexadecimal digits/);
  });
});

describe('collect verify and show: bounded reads', () => {
  it('a decompression bomb is a problem within seconds, in bounded memory', async () => {
    const file = join(dir, 'bomb.tar.gz');
    await writeBomb(file, 4, 'b/summary.md');
    const m = await measure(async () => {
      const r = await verifyBundle(file);
      expect(r.ok).toBe(false);
      expect(r.problems.join('\n')).toMatch(
        /b\/summary\.md is 4 GiB, over the limit of 64 MiB for one file: refused/,
      );
    });
    expect(m.error).toBeUndefined();
    expect(m.ms).toBeLessThan(5_000);
    expect(m.rssGrowthMiB).toBeLessThan(200);
    const s = await cli('collect', ['show', file]);
    expect(s.exitCode).toBe(7);
    expect(s.stderr).toMatch(/is not a readable bundle: .* over the limit of 64 MiB for one file/);
  });

  it('200,000 entries are a problem, not a memory blowup', async () => {
    const file = join(dir, 'many.tar.gz');
    await writeManyEntries(file, 200_000);
    const m = await measure(async () => {
      const r = await verifyBundle(file);
      expect(r.problems.join('\n')).toMatch(/holds more than 100,000 entries/);
    });
    expect(m.error).toBeUndefined();
    expect(m.ms).toBeLessThan(20_000);
  });
});

describe('readTarGz', () => {
  it('gives back what writeTarGz wrote, with the size and sha256 of the file, small or large', async () => {
    for (const size of [100, 6 << 20]) {
      const file = join(dir, `round-${size}.tar.gz`);
      const entries = [...minimalBundle(), { path: 'blob.bin', bytes: randomBytes(size) }];
      await writeTarGz(file, 'b', entries, new Date());
      const back = await readTarGz(file);
      expect(back.entries.map((e) => e.path)).toEqual(entries.map((e) => `b/${e.path}`));
      expect(back.entries.at(-1)?.bytes.equals(entries.at(-1)!.bytes)).toBe(true);
      expect(back.bytes).toBe(statSync(file).size);
      expect(back.sha256).toBe(sha256(readFileSync(file)));
      expect(back.warnings).toEqual([]);
    }
  });

  it('refuses a path that is no regular file, without opening it (FIFO, device)', async () => {
    const fifo = join(dir, 'fifo.tar.gz');
    await execa('mkfifo', [fifo]);
    for (const p of [fifo, '/dev/zero'])
      await expect(readTarGz(p)).rejects.toThrow(/not a regular file/);
  });

  it('refuses an uncompressed tar: a bundle is a .tar.gz', async () => {
    const file = join(dir, 'plain.tar');
    await writeTar(file, [{ name: 'b/summary.md', data: '# x\n' }], false);
    await expect(readTarGz(file)).rejects.toThrow(/not gzip-compressed/);
  });
});
