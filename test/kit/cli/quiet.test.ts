import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../cli-helpers.js';

// -q, --quiet: only errors and the final result line, for scripts.
const dir = mkdtempSync(join(tmpdir(), 'dropkit-quiet-'));
const env = { XDG_CONFIG_HOME: join(dir, 'config') };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--quiet', () => {
  it('collect bundle --local: one line, the bundle; nothing on stderr', async () => {
    const loud = await cli('collect', ['bundle', '--local', '--out', dir], env);
    expect(loud.exitCode, loud.stderr).toBe(0);
    // Without it: what was collected on stderr, the bundle's size and sha256 too.
    expect(loud.stderr).toMatch(/local: snapshot \d+ sources/);
    expect(loud.stdout).toMatch(/^sha256: /m);
    const q = await cli('collect', ['bundle', '--local', '--out', dir, '-q'], env);
    expect(q.exitCode, q.stderr).toBe(0);
    expect(q.stderr).toBe('');
    expect(q.stdout).toMatch(/^bundle: \S+\.tar\.gz$/);
  });

  it('errors still show', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const q = await cli(
      'collect',
      ['bundle', '--local', '--out', join(file, 'out'), '--quiet'],
      env,
    );
    expect(q.exitCode).not.toBe(0);
    expect(q.stderr).toMatch(/^error: /m);
    expect(q.stdout).toBe('');
  });
});
