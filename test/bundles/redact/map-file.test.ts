import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeMapFile } from '../../../bundles/redact/index.js';
import { CORPUS } from './corpus.js';
import { corpusRedactor, SECRET_A } from './helpers.js';

describe('writeMapFile', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dropkit-redact-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the map as JSON, mode 0600, without the secret', async () => {
    const r = corpusRedactor();
    r.redactFiles(CORPUS);
    const path = join(dir, 'map.json');
    await writeFile(path, 'old', { mode: 0o644 });
    await writeMapFile(path, r.mapping());
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const body = await readFile(path, 'utf8');
    expect(JSON.parse(body)).toEqual({ version: 1, entries: r.mapping() });
    expect(body).not.toContain(SECRET_A.toString('hex'));
    expect(body).not.toContain('Hunter2Planted!');
  });
});
