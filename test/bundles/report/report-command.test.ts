import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarGz, writeTarGz } from '../../../bundles/archive.js';
import { defaultReportPath, writeReportFile } from '../../../bundles/report/report-file.js';
import { verifyBundle } from '../../../bundles/verify.js';
import { DropkitError } from '../../../kit/errors.js';
import { cli } from '../../cli-helpers.js';
import { bundleFiles, LAB_BUNDLE } from './fixture-bundle.js';

// `collect report BUNDLE`: the page built again from a bundle on disk (the
// real lab bundle, written before the report existed), from the tarball or
// the directory it unpacks to, beside it, the bundle left as it was.

let dir: string;
let tarball: string;
let unpacked: string;
const digest = async (f: string) =>
  createHash('sha256')
    .update(await readFile(f))
    .digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-report-cmd-'));
  tarball = join(dir, '20261207T103655Z-compare-2-hosts.tar.gz');
  await copyFile(LAB_BUNDLE, tarball);
  unpacked = join(dir, 'unpacked', '20261207T103655Z-compare-2-hosts');
  for (const e of (await readTarGz(LAB_BUNDLE)).entries) {
    const to = join(dir, 'unpacked', e.path);
    await mkdir(dirname(to), { recursive: true });
    await writeFile(to, e.bytes);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('collect report', () => {
  it('writes X.report.html beside the tarball and leaves the bundle as it was', async () => {
    const before = await digest(tarball);
    const r = await writeReportFile(tarball);
    expect(r.file).toBe(join(dir, '20261207T103655Z-compare-2-hosts.report.html'));
    expect(r.file).toBe(defaultReportPath(tarball));
    expect(r.kind).toBe('compare');
    expect(r.charts).toBe(17);
    expect(await digest(r.file)).toBe(r.sha256);
    expect(await digest(tarball)).toBe(before);
    expect((await verifyBundle(tarball)).ok).toBe(true);
  });

  it('builds the same page from the unpacked directory, or its parent, writing nothing into it', async () => {
    const fromTar = await readFile(defaultReportPath(tarball));
    const listed = async () => (await readdir(unpacked, { recursive: true })).sort();
    const before = await listed();
    for (const given of [unpacked, `${unpacked}/`, dirname(unpacked)]) {
      const out = join(dir, `from-dir-${given.length}.html`);
      await writeReportFile(given, { out });
      expect((await readFile(out)).equals(fromTar), given).toBe(true);
    }
    expect(await listed()).toEqual(before);
    expect(defaultReportPath(`${unpacked}/`)).toBe(`${unpacked}.report.html`);
  });

  it('refuses to write into the bundle it reads', async () => {
    for (const out of [join(unpacked, 'summary.json'), join(unpacked, 'report.html')]) {
      const e = await writeReportFile(unpacked, { out }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DropkitError);
      expect((e as DropkitError).code).toBe('USAGE');
    }
    await expect(writeReportFile(tarball, { out: tarball })).rejects.toThrow(/inside the bundle/);
  });

  it('says what is wrong with something that is no bundle', async () => {
    const notBundle = join(dir, 'not-a-bundle');
    await mkdir(notBundle, { recursive: true });
    await writeFile(join(notBundle, 'x.txt'), 'x');
    await expect(writeReportFile(notBundle)).rejects.toMatchObject({ code: 'BUNDLE_INVALID' });
    const junk = join(dir, 'junk.tar.gz');
    await writeFile(junk, 'not gzip');
    await expect(writeReportFile(junk)).rejects.toMatchObject({ code: 'BUNDLE_INVALID' });
    await expect(writeReportFile(join(dir, 'missing.tar.gz'))).rejects.toMatchObject({
      code: 'USAGE',
    });
  });

  it('holds a redacted bundle’s report to the leak patterns, and writes nothing on a hit', async () => {
    const files = await bundleFiles(LAB_BUNDLE);
    const summary = JSON.parse(files.get('summary.json')!.toString('utf8'));
    summary.findings[0].line = 'eth0 at 10.1.2.3 dropped';
    const leaky = join(dir, 'leaky.tar.gz');
    await writeTarGz(
      leaky,
      'leaky',
      [...files]
        .filter(([p]) => p === 'manifest.json' || p === 'compare.json')
        .map(([path, bytes]) => ({ path, bytes }))
        .concat([{ path: 'summary.json', bytes: Buffer.from(JSON.stringify(summary)) }]),
      new Date(),
    );
    await expect(writeReportFile(leaky)).rejects.toMatchObject({ code: 'LEAK_DETECTED' });
    expect(await readdir(dir)).not.toContain('leaky.report.html');
  });

  it('runs as `collect report` from the built CLI, with --json', async () => {
    const out = join(dir, 'cli.html');
    const r = await cli('collect', ['report', tarball, '--out', out, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      file: out,
      kind: 'compare',
      charts: 17,
    });
    const help = await cli('collect', ['report', '--help']);
    expect(help.stdout).toContain('$ collect report 20261127T141502Z-repro-case-4711.tar.gz');
  });
});
