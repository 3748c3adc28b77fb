import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byText } from '../../kit/compare.js';
import { thousands } from '../../kit/thousands.js';

describe('thousands', () => {
  it('prints what toLocaleString("en-US") prints, for bigints and integers', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), (v) => {
        expect(thousands(v)).toBe(v.toLocaleString('en-US'));
      }),
    );
    fc.assert(
      fc.property(fc.integer(), (v) => {
        expect(thousands(v)).toBe(v.toLocaleString('en-US'));
      }),
    );
  });

  it('keeps up to three fraction digits, as toLocaleString does', () => {
    for (const v of [1234.5, 0.1234, 1_000_000.25, -0.5, -1234.5678])
      expect(thousands(v)).toBe(v.toLocaleString('en-US'));
  });
});

describe('byText', () => {
  it('orders by code point, the same on every machine', () => {
    expect(['vmB', 'b', 'vmA', 'B', 'a'].sort(byText)).toEqual(['B', 'a', 'b', 'vmA', 'vmB']);
    expect(byText('x', 'x')).toBe(0);
  });
});
