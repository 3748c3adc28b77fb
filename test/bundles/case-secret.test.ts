import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseSecret, casesDir } from '../../bundles/case-secret.js';

const dir = mkdtempSync(join(tmpdir(), 'dropkit-cases-'));
const saved = process.env['XDG_CONFIG_HOME'];
beforeAll(() => {
  process.env['XDG_CONFIG_HOME'] = dir;
});
afterAll(() => {
  if (saved === undefined) delete process.env['XDG_CONFIG_HOME'];
  else process.env['XDG_CONFIG_HOME'] = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('caseSecret', () => {
  it('makes a key once per case and reads the same one back', async () => {
    const a = await caseSecret('4711');
    expect(a).toHaveLength(32);
    expect(await caseSecret('4711')).toEqual(a);
    expect(readFileSync(join(casesDir(), '4711.key'), 'utf8').trim()).toBe(a.toString('hex'));
  });

  it('refuses a damaged key rather than keying the pseudonyms with it', async () => {
    mkdirSync(casesDir(), { recursive: true });
    writeFileSync(join(casesDir(), 'broken.key'), 'abc123\n');
    await expect(caseSecret('broken')).rejects.toThrow(/not 64 hex digits/);
  });
});
