import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture, listCaptures } from './fixture-files.js';
import { PARSERS } from './parsers.js';
import { isEthtoolStats, isIpLink, isParseResult, isSoftnetStat } from './shapes.js';

// "Parsers never throw on odd input" (DESIGN.md): whatever the bytes, every parser returns its
// declared shape. A throw fails the property; so does a wrong shape.
function assertAllParsersCope(text: string): void {
  for (const { name, parse, isValue } of PARSERS) {
    const result = parse(text);
    if (!isParseResult(result, isValue)) {
      throw new Error(`${name} returned a bad shape for ${JSON.stringify(text.slice(0, 200))}`);
    }
  }
}

const captures = listCaptures().map((rel) => fixture(rel));
const fixtureLines = captures.flatMap((t) => t.split('\n'));

describe('every parser on hostile input', () => {
  it('random unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), assertAllParsersCope), {
      numRuns: 300,
    });
  });

  it('random bytes decoded as latin1', () => {
    const latin1 = fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b).toString('latin1'));
    fc.assert(fc.property(latin1, assertAllParsersCope), { numRuns: 300 });
  });

  it('every fixture truncated at a random point', () => {
    const truncated = fc
      .tuple(fc.constantFrom(...captures), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([text, at]) => text.slice(0, Math.floor(text.length * at)));
    fc.assert(fc.property(truncated, assertAllParsersCope), { numRuns: 400 });
  });

  it('real lines from all fixtures, shuffled together and lightly mangled', () => {
    const line = fc.oneof(
      fc.constantFrom(...fixtureLines),
      fc.constantFrom(...fixtureLines).map((l) => l.replace(/\d/g, '9'.repeat(25))),
      fc.constantFrom(...fixtureLines).map((l) => l.replace(/ +/g, '\t')),
      fc.string({ maxLength: 30 }),
    );
    const text = fc.tuple(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'));
    fc.assert(
      fc.property(text, ([lines, eol]) => assertAllParsersCope(lines.join(eol))),
      { numRuns: 300 },
    );
  });

  it('each fixture whole, through every parser (wrong-format input included)', () => {
    for (const text of captures) expect(() => assertAllParsersCope(text)).not.toThrow();
  });

  it('edge inputs', () => {
    const big = '9'.repeat(100_000);
    const cases = ['', '\n', '\0', '\uFEFF', '\r\n\r\n', ':', '@', '[', '"', big, `x: ${big}`];
    for (const text of cases) expect(() => assertAllParsersCope(text)).not.toThrow();
    // Deep nesting must not blow the stack in the JSON parser's caller.
    expect(() => assertAllParsersCope('['.repeat(100_000))).not.toThrow();
  });

  it('the shape checks themselves reject wrong values', () => {
    const row = { cpu: 0, cpuFromIndexColumn: false, dropped: 0n, timeSqueeze: 0n, columns: 11 };
    expect(isSoftnetStat({ rows: [{ ...row, processed: 1n }], elided: false })).toBe(true);
    expect(isSoftnetStat({ rows: [{ ...row, processed: 1 }], elided: false })).toBe(false);
    expect(isSoftnetStat({ rows: [{ ...row, processed: 2n ** 32n }], elided: false })).toBe(false);
    const stats = { entries: [{ key: 'a', value: 1n }], stats: { a: 1n }, elided: false };
    expect(isEthtoolStats({ ...stats, supported: true })).toBe(true);
    expect(isEthtoolStats({ ...stats, supported: true, stats: {} })).toBe(false);
    expect(isIpLink({ interfaces: [{ name: 'x' }] })).toBe(false);
    expect(isParseResult({ value: {}, warnings: [1 as unknown as string] }, () => true)).toBe(
      false,
    );
  });

  it('warnings are capped on huge garbage', () => {
    const garbage = Array.from({ length: 5000 }, (_, i) => `garbage line ${i}`).join('\n');
    for (const { parse } of PARSERS) expect(parse(garbage).warnings.length).toBeLessThanOrEqual(51);
  });
});
