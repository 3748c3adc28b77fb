import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRedactor, scanForLeaks } from '../../../bundles/redact/index.js';
import { SECRET_A } from './helpers.js';

// The real captures the parsers are tested on (see test/fixtures/SOURCES.md): counters, ring
// sizes, driver info, softnet_stat hex, ip link with MACs. Redaction must leave every one of them
// parseable: same lines, same lengths, and only link-layer addresses changed.
const ROOT = fileURLToPath(new URL('../../fixtures', import.meta.url));
const DIRS = [
  'ethtool_S',
  'ethtool_g',
  'ethtool_i',
  'ethtool_l',
  'softnet_stat',
  'proc_net_dev',
  'ip_link',
];
const CAPTURES = DIRS.flatMap((d) =>
  readdirSync(join(ROOT, d)).map((f) => ({
    path: `${d}/${f}`,
    text: readFileSync(join(ROOT, d, f), 'latin1'),
  })),
);

describe('real captures', () => {
  const redactor = createRedactor({ secret: SECRET_A });
  const out = redactor.redactFiles(CAPTURES).files;

  it('are all there', () => {
    expect(CAPTURES.length).toBeGreaterThan(20);
  });

  for (const [i, capture] of CAPTURES.entries())
    it(`${capture.path}: only MACs change, every line keeps its length`, () => {
      const before = capture.text.split('\n');
      const after = out[i]!.text.split('\n');
      expect(after).toHaveLength(before.length);
      before.forEach((line, n) => {
        expect(after[n]!.length).toBe(line.length);
        if (after[n] !== line) expect(line).toMatch(/link\/ether|"address":/);
      });
    });

  it('scan clean after redaction', () => {
    expect(scanForLeaks(out, redactor.sensitiveValues())).toEqual([]);
  });
});
