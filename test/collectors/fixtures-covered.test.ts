import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listCaptures } from './fixture-files.js';

// Every capture in test/fixtures/ must be checked by hand somewhere: its file name has to appear
// in a test file of this folder (the fuzz test alone is not enough).
describe('fixture coverage', () => {
  it('every fixture file is named in a value test', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const tests = readdirSync(dir)
      .filter(
        (f) => f.endsWith('.test.ts') && f !== 'fuzz.test.ts' && f !== basename(import.meta.url),
      )
      .map((f) => readFileSync(`${dir}/${f}`, 'utf8'))
      .join('\n');
    const missing = listCaptures().filter((rel) => !tests.includes(basename(rel)));
    expect(missing).toEqual([]);
    expect(listCaptures()).toHaveLength(36);
  });
});
