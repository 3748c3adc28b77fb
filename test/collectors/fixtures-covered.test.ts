import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listCaptures } from './fixture-files.js';

// Every capture in test/fixtures/ must be checked by hand somewhere: its file name has to appear
// in a test file of this folder (the fuzz test alone is not enough).
describe('fixture coverage', () => {
  it('every fixture file is named in a value test', () => {
    // Any test file under test/ counts (iperf3 JSON is checked in test/repro/).
    const root = fileURLToPath(new URL('..', import.meta.url));
    const tests = (readdirSync(root, { recursive: true }) as string[])
      .filter(
        (f) =>
          f.endsWith('.test.ts') &&
          basename(f) !== 'fuzz.test.ts' &&
          basename(f) !== basename(import.meta.url),
      )
      .map((f) => readFileSync(join(root, f), 'utf8'))
      .join('\n');
    const missing = listCaptures().filter((rel) => !tests.includes(basename(rel)));
    expect(missing).toEqual([]);
    // The 36 shared captures at least; later captures add to them.
    expect(listCaptures().length).toBeGreaterThanOrEqual(36);
  });
});
