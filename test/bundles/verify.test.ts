import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTarGz } from '../../bundles/archive.js';
import { verifyBundle } from '../../bundles/verify.js';
import { minimalBundle } from './minimal-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'dropkit-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('collect verify', () => {
  it('names a link in the archive as a problem', async () => {
    const file = join(dir, 'link.tar.gz');
    const pack = tar.pack();
    for (const f of minimalBundle('# ok\n')) pack.entry({ name: `b/${f.path}` }, f.bytes);
    pack.entry({ name: 'b/hosts', type: 'symlink', linkname: '/etc' });
    pack.finalize();
    await pipeline(pack, createGzip(), createWriteStream(file));
    const r = await verifyBundle(file);
    expect(r.ok).toBe(false);
    expect(r.problems).toContain('b/hosts: unexpected symlink entry');
  });

  it('reads the map with its categories: a host name is matched as a name, not anywhere', async () => {
    const file = join(dir, 'names.tar.gz');
    await writeTarGz(file, 'b', minimalBundle('vm012 is another host\n'), new Date());
    const map = (category: string) =>
      writeFileSync(
        join(dir, 'names.map.json'),
        JSON.stringify({
          version: 1,
          entries: [{ category, original: 'vm01', pseudonym: 'h1a2' }],
        }),
      );
    map('hostname');
    expect((await verifyBundle(file)).problems).toEqual([]);
    // The same original with a keyword's rule (anywhere, any case) would hit.
    map('keyword');
    expect((await verifyBundle(file)).problems).toEqual([
      'summary.md: possible unredacted keyword',
    ]);
  });
});
