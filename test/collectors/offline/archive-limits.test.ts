import { mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { READ_LIMITS } from '../../../collectors/offline/limits.js';
import { loadCapture } from '../../../collectors/offline/load.js';
import { readTar } from '../../../collectors/offline/tar-read.js';
import { measure, sosFiles, writeBomb, writeManyEntries, writeTar } from './craft-archive.js';

// Archives built to exhaust the reader: each must end in bounded time and
// memory with an error that names the limit.

const dir = mkdtempSync(join(tmpdir(), 'dropkit-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('collect analyze: archive limits', () => {
  it('a 4 GiB decompression bomb (4 MB of gzip) is refused at 1 GiB, in bounded memory', async () => {
    const file = join(dir, 'bomb.tar.gz');
    await writeBomb(file, 4, 'sosreport-x/var/log/messages');
    const m = await measure(() => loadCapture(file));
    expect(String(m.error)).toMatch(
      /bomb\.tar\.gz: unpacks to more than 1 GiB \(the limit for one archive\); it may be a decompression bomb: refused/,
    );
    expect(m.ms).toBeLessThan(20_000);
    expect(m.rssGrowthMiB).toBeLessThan(200);
  });

  it('4 GiB of zero padding ends at the end-of-archive marker, as GNU tar reads it', async () => {
    const file = join(dir, 'padding.tar.gz');
    await writeBomb(file, 4);
    const m = await measure(() => loadCapture(file));
    expect(String(m.error)).toMatch(/is not a dropkit snapshot, bundle or sos report/);
    expect(m.ms).toBeLessThan(5_000);
    expect(m.rssGrowthMiB).toBeLessThan(200);
  });

  it('200,000 entries are refused once the 100,000th is passed', async () => {
    const file = join(dir, 'many.tar.gz');
    await writeManyEntries(file, 200_000);
    const m = await measure(() => loadCapture(file));
    expect(String(m.error)).toMatch(
      /many\.tar\.gz: holds more than 100,000 entries \(the limit for one archive\): refused/,
    );
    expect(m.ms).toBeLessThan(20_000);
    expect(m.rssGrowthMiB).toBeLessThan(300);
  });

  it('a file over the per-file limit, and kept files over the total, are refused by name', async () => {
    const file = join(dir, 'big.tar.gz');
    await writeTar(file, [
      ...sosFiles('s'),
      { name: 's/sos_commands/kernel/sysctl_-a', data: 'x'.repeat(5000) },
    ]);
    const small = { ...READ_LIMITS, fileBytes: 4096 };
    await expect(loadCapture(file, { limits: small })).rejects.toThrow(
      /big\.tar\.gz: s\/sos_commands\/kernel\/sysctl_-a is 4\.9 KiB, over the limit of 4 KiB for one file: refused/,
    );
    const kept = { ...READ_LIMITS, keptBytes: 8192 };
    await expect(loadCapture(file, { limits: kept })).rejects.toThrow(
      /the files to read add up to more than 8 KiB \(the limit for one archive\): refused/,
    );
    // Files that are not evidence are never held: no limit applies to them.
    const other = join(dir, 'other.tar.gz');
    await writeTar(other, [...sosFiles('s'), { name: 's/var/log/big', data: 'x'.repeat(9000) }]);
    await expect(loadCapture(other, { limits: small })).resolves.toBeDefined();
  });

  it('an aborted read stops at once with ABORTED', async () => {
    const file = join(dir, 'abort.tar.gz');
    await writeTar(file, sosFiles('s'));
    const ac = new AbortController();
    const read = readTar(file, {
      label: 'abort.tar.gz',
      keep: () => true,
      onEntry: () => ac.abort(),
      signal: ac.signal,
    });
    await expect(read).rejects.toMatchObject({ code: 'ABORTED' });
    ac.abort();
    await expect(loadCapture(file, { signal: ac.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});

describe('collect analyze and Ctrl-C', () => {
  it('the first SIGINT stops a long archive read: exit 130, no limit reached', async () => {
    // Over 4 MiB on disk, so it is streamed from the open file: its fd in
    // /proc says when the read has begun.
    const file = join(dir, 'slow.tar.gz');
    await writeBomb(file, 6, 'sosreport-x/var/log/messages');
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

function readlinkSafe(p: string): string | undefined {
  try {
    return readlinkSync(p);
  } catch {
    return undefined;
  }
}
