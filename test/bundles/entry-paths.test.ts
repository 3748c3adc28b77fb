import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTarGz } from '../../bundles/archive.js';
import { checkEntryPaths } from '../../bundles/entries.js';
import { type BundleHost, writeBundle } from '../../bundles/write-bundle.js';
import type { RawFile } from '../../collectors/model.js';
import { DropkitError } from '../../kit/errors.js';
import { isSafeRelPath } from '../../kit/safe-path.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-entries-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const raw = (path: string): RawFile => ({
  path,
  bytes: Buffer.from('x\n'),
  record: {
    id: 'ethtool_S',
    rawPath: path,
    source: 'ethtool -S x',
    exitCode: 0,
    ok: true,
    bytes: 2,
  },
});
const host = (label: string, paths: string[]): BundleHost => ({
  label,
  status: 'complete',
  rawSets: [{ dir: '', raw: paths.map(raw) }],
  files: [{ path: 'snapshot.json', bytes: Buffer.from('{}\n') }],
});
const write = (hosts: BundleHost[]) =>
  writeBundle({
    kind: 'node',
    status: 'complete',
    command: ['collect', 'bundle'],
    outDir: join(dir, 'out'),
    redact: false,
    keywords: [],
    hosts,
    files: [{ path: 'summary.md', bytes: Buffer.from('# s\n') }],
    createdAt: new Date('2026-01-01T00:00:00Z'),
  });

describe('the bundle writer checks its own entries', () => {
  it('refuses unsafe or repeated paths, naming them', () => {
    expect(() =>
      checkEntryPaths([
        { path: 'hosts/a/raw/ethtool/../../../../x', bytes: Buffer.alloc(0) },
        { path: 'summary.md', bytes: Buffer.alloc(0) },
        { path: 'summary.md', bytes: Buffer.alloc(0) },
        { path: '/etc/x', bytes: Buffer.alloc(0) },
      ]),
    ).toThrow(
      /3 unsafe path\(s\); no bundle was written: "hosts\/a\/raw\/ethtool\/\.\.\/\.\.\/\.\.\/\.\.\/x": it has a "\.\." segment; "summary\.md": listed twice; "\/etc\/x": it is absolute/,
    );
    expect(() => checkEntryPaths([{ path: 'a/b', bytes: Buffer.alloc(0) }])).not.toThrow();
  });

  it('fails closed: a path that climbs out means no bundle at all', async () => {
    const e = await write([host('node1', ['ethtool/../../../../../pwned/x'])]).catch((x) => x);
    expect(e).toBeInstanceOf(DropkitError);
    expect((e as DropkitError).message).toContain('no bundle was written');
    expect(await readdir(join(dir, 'out'))).toEqual([]);
  });

  it('a host name that is no folder name fails it too', async () => {
    await expect(write([host('..', ['proc/net/dev'])])).rejects.toThrow(/unsafe path/);
    expect(await readdir(join(dir, 'out'))).toEqual([]);
  });

  it('two hosts reporting one name get a folder each', async () => {
    const w = await write([host('node1', ['proc/net/dev']), host('node1', ['proc/net/dev'])]);
    const back = await readTarGz(w.file);
    const paths = back.entries.map((e) => e.path.split('/').slice(1).join('/'));
    expect(paths).toContain('hosts/node1/raw/proc/net/dev');
    expect(paths).toContain('hosts/node1-2/raw/proc/net/dev');
    expect(paths.every(isSafeRelPath)).toBe(true);
    expect(new Set(paths).size).toBe(paths.length);
  });
});
