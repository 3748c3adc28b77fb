import { randomBytes } from 'node:crypto';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCapture } from '../../../collectors/offline/load.js';
import { readTar } from '../../../collectors/offline/tar-read.js';
import { fixture } from '../fixture-files.js';
import { measure, SOFTNET, sosFiles, writeTar } from './craft-archive.js';
import { hasXz, lastCheckAt, withDictionary, writeTarXz, writeXzBomb, xz } from './craft-xz.js';

// .tar.xz, sos report's default, read in this process by a WebAssembly
// decoder: damaged, truncated and hostile ones must end in bounded time and
// memory with an error that names the file, and leave the decoder free for
// the next archive.

const dir = mkdtempSync(join(tmpdir(), 'dropkit-xz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const top = 'sosreport-xz';
const members = () => [
  ...sosFiles(top),
  { name: `${top}/proc/net/softnet_stat`, data: fixture(SOFTNET) },
  { name: `${top}/hostname`, data: 'xz-host\n' },
];
const quiet = { warn: () => undefined };

// A sound archive, read after each failure: a decoder left busy would hang it.
async function readsAfterwards(): Promise<void> {
  const good = join(dir, 'good.tar.xz');
  await writeTarXz(good, members());
  expect((await loadCapture(good, quiet)).after[0]?.host).toBe('xz-host');
}

describe.runIf(hasXz)('collect analyze: .tar.xz', () => {
  it('is told by its first bytes, whatever its name, and reads as its .tar.gz does', async () => {
    for (const name of ['sos.tar.xz', 'misnamed.tar.gz', 'capture']) {
      const file = join(dir, name);
      await writeTarXz(file, members());
      const h = (await loadCapture(file, quiet)).after[0]!;
      expect(h.host).toBe('xz-host');
      expect(h.interfaces.map((i) => i.name)).toEqual(['eth0']);
      expect(h.softnet.length).toBeGreaterThan(0);
    }
    // Every check xz writes but SHA-256, and a multi-block file (xz -T0).
    for (const opts of [['--check=crc32'], ['--check=none'], ['-T0', '--block-size=4KiB']]) {
      const file = join(dir, 'opts.tar.xz');
      await writeTarXz(file, members(), ...opts);
      expect((await loadCapture(file, quiet)).after[0]?.host, opts.join(' ')).toBe('xz-host');
    }
  });

  it('a bundle stays gzip only', async () => {
    const file = join(dir, 'bundle.tar.gz');
    await writeTarXz(file, members());
    const read = readTar(file, {
      label: file,
      keep: () => false,
      onEntry: () => undefined,
      gzipOnly: true,
    });
    await expect(read).rejects.toThrow(/bundle\.tar\.gz: not gzip-compressed/);
  });

  it('a truncated xz stream is a clear error naming the file', async () => {
    const whole = await xz(readFileSync(await plainTar()));
    for (const [name, bytes] of [
      ['cut.tar.xz', Math.floor(whole.length / 2)],
      ['cut-header.tar.xz', 9],
      ['cut-check.tar.xz', lastCheckAt(whole) + 4],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, whole.subarray(0, bytes));
      await expect(loadCapture(file, quiet), name).rejects.toThrow(
        new RegExp(
          `${name.replace(/\./g, '\\.')}: not a readable xz stream \\(unexpected end of file\\)`,
        ),
      );
    }
    await readsAfterwards();
  });

  it('damaged data, or a damaged integrity check, is a clear error naming the file', async () => {
    const whole = await xz(readFileSync(await plainTar()));
    // A byte of the compressed data, then a byte of the CRC64 itself: either
    // way the check no longer matches what was unpacked.
    for (const at of [Math.floor(whole.length / 2), lastCheckAt(whole) + 3]) {
      const bad = Buffer.from(whole);
      bad[at]! ^= 0x55;
      const file = join(dir, 'damaged.tar.xz');
      writeFileSync(file, bad);
      await expect(loadCapture(file, quiet), `byte ${at}`).rejects.toThrow(
        /damaged\.tar\.xz: not a readable xz stream \(damaged data, or a failed integrity check\)/,
      );
    }
    await readsAfterwards();
  });

  it('what the decoder does not read is refused with a way out: SHA-256, a dictionary over 64 MiB', async () => {
    const tarBytes = readFileSync(await plainTar());
    const sha = join(dir, 'sha.tar.xz');
    writeFileSync(sha, await xz(tarBytes, '--check=sha256'));
    await expect(loadCapture(sha, quiet)).rejects.toMatchObject({
      message: expect.stringMatching(/sha\.tar\.xz: not a readable xz stream \(a SHA-256 check/),
      hint: expect.stringMatching(/xz -dk FILE/),
    });
    // The same stream claiming a 64 MiB dictionary reads (xz -9's); 128 MiB
    // is refused before any of it is allocated.
    const plain = await xz(tarBytes, '-1', '-T1');
    const big = join(dir, 'dict.tar.xz');
    writeFileSync(big, withDictionary(plain, 28));
    expect((await loadCapture(big, quiet)).after[0]?.host).toBe('xz-host');
    writeFileSync(big, withDictionary(plain, 30));
    const m = await measure(() => loadCapture(big, quiet));
    expect(String(m.error)).toMatch(
      /dict\.tar\.xz: not a readable xz stream \(it needs a dictionary over 64 MiB\)/,
    );
    expect(m.rssGrowthMiB).toBeLessThan(100);
    await readsAfterwards();
  });

  it('an aborted read stops with ABORTED, and frees the decoder', async () => {
    const file = join(dir, 'abort.tar.xz');
    await writeTarXz(file, members());
    const ac = new AbortController();
    const read = readTar(file, {
      label: 'abort.tar.xz',
      keep: () => true,
      onEntry: () => ac.abort(),
      signal: ac.signal,
    });
    await expect(read).rejects.toMatchObject({ code: 'ABORTED' });
    await readsAfterwards();
  });
});

describe.runIf(hasXz)('collect analyze: .tar.xz limits', () => {
  it('a 4 GiB xz bomb (660 KB) is refused at 1 GiB, in bounded memory', async () => {
    const file = join(dir, 'bomb.tar.xz');
    await writeXzBomb(file, 4, 'sosreport-x/var/log/messages');
    const m = await measure(() => loadCapture(file));
    expect(String(m.error)).toMatch(
      /bomb\.tar\.xz: unpacks to more than 1 GiB \(the limit for one archive\); it may be a decompression bomb: refused/,
    );
    expect(m.ms).toBeLessThan(30_000);
    expect(m.rssGrowthMiB).toBeLessThan(200);
    await readsAfterwards();
  }, 60_000);

  it('4 GiB of zero padding ends at the end-of-archive marker', async () => {
    const file = join(dir, 'padding.tar.xz');
    await writeXzBomb(file, 4);
    const m = await measure(() => loadCapture(file));
    expect(String(m.error)).toMatch(/is not a dropkit snapshot, bundle or sos report/);
    expect(m.ms).toBeLessThan(5_000);
    expect(m.rssGrowthMiB).toBeLessThan(200);
  });

  it('the first SIGINT stops a long .tar.xz read: exit 130, no limit reached', async () => {
    // Over 4 MiB on disk (5 MiB that xz cannot shrink lead the zeros), so it
    // is streamed from the open file: its fd in /proc says when the read has
    // begun. The zeros then unpack with no new input for a long while.
    const file = join(dir, 'slow.tar.xz');
    await writeXzBomb(file, 4, 'sosreport-x/var/log/messages', randomBytes(5 << 20));
    const child = execa('node', ['dist/bin/collect.js', 'analyze', file], { reject: false });
    const real = realpathSync(file);
    const reading = async () => {
      for (let i = 0; i < 500; i++) {
        const fds = readdirSync(`/proc/${child.pid}/fd`, { withFileTypes: true });
        if (fds.some((f) => readlinkSafe(`/proc/${child.pid}/fd/${f.name}`) === real)) return;
        await sleep(10);
      }
      throw new Error('the archive was never opened');
    };
    await reading();
    // Into the zeros, past the 5 MiB lead.
    await sleep(300);
    const sent = performance.now();
    child.kill('SIGINT');
    const r = await child;
    const ms = performance.now() - sent;
    expect(r.exitCode, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/reading interrupted/);
    expect(r.stderr).not.toMatch(/unpacks to more than/);
    expect(ms).toBeLessThan(3_000);
  });
});

// The members as a plain tar on disk.
async function plainTar(): Promise<string> {
  const file = join(dir, 'plain.tar');
  await writeTar(file, members(), false);
  return file;
}

function readlinkSafe(p: string): string | undefined {
  try {
    return readlinkSync(p);
  } catch {
    return undefined;
  }
}
