import { describe, expect, it } from 'vitest';
import { getOwn, hasOwn, setOwn } from '../../collectors/own-record.js';

// Keys a hostile host can send: setOwn must store each as an own value and never touch the
// prototype, on the fast path (plain assignment) as on the `__proto__` one.
describe('setOwn', () => {
  it('stores __proto__, constructor and toString as own values, prototype untouched', () => {
    const r: Record<string, number> = {};
    for (const [i, k] of ['__proto__', 'constructor', 'toString', 'rx_dropped'].entries())
      setOwn(r, k, i + 1);
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(Object.keys(r)).toEqual(['__proto__', 'constructor', 'toString', 'rx_dropped']);
    expect(getOwn(r, '__proto__')).toBe(1);
    expect(getOwn(r, 'constructor')).toBe(2);
    expect(JSON.parse(JSON.stringify(r))).toEqual({
      ['__proto__']: 1,
      constructor: 2,
      toString: 3,
      rx_dropped: 4,
    });
    expect(hasOwn({}, 'constructor')).toBe(false);
    setOwn(r, 'rx_dropped', 9);
    expect(r['rx_dropped']).toBe(9);
  });
});
