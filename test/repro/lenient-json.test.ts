import { describe, expect, it } from 'vitest';
import { parseLenientJson } from '../../repro/lenient-json.js';

describe('parseLenientJson', () => {
  it('whole documents, with text before or after', () => {
    expect(parseLenientJson('{"a": [1, 2.5e3, -3], "b": "x\\"y\\u00e9"}')).toEqual({
      value: { a: [1, 2500, -3], b: 'x"yé' },
      complete: true,
    });
    expect(parseLenientJson('warning: something\n{"a": true}').value).toEqual({ a: true });
    const trailing = parseLenientJson('{"a": null}\niperf3: exiting');
    expect(trailing).toMatchObject({ value: { a: null }, complete: true });
    expect(trailing.problem).toMatch(/ignored/);
  });

  it('a cut document keeps every value completed before the cut', () => {
    const r = parseLenientJson(
      '{"start": {"v": "3.12", "t": 17}, "intervals": [{"s": 1}, {"s": 2}, {"s"',
    );
    expect(r.complete).toBe(false);
    expect(r.value).toEqual({ start: { v: '3.12', t: 17 }, intervals: [{ s: 1 }, { s: 2 }, {}] });
    expect(r.problem).toMatch(/offset/);
    expect(parseLenientJson('{"a": "unterminated').value).toEqual({});
    expect(parseLenientJson('{"a": [1, 2, 3]').value).toEqual({ a: [1, 2, 3] });
  });

  it('a number cut at the end of the input is dropped, not kept short', () => {
    // "packets":12 of 1234 would give a loss of 50/12 = 416%.
    const r = parseLenientJson('{"end":{"sum_received":{"lost_packets":50,"packets":12');
    expect(r).toMatchObject({
      value: { end: { sum_received: { lost_packets: 50 } } },
      complete: false,
    });
    expect(r.problem).toMatch(/incomplete number at offset 52/);
    expect(parseLenientJson('{"a": [1, 2').value).toEqual({ a: [1] });
    // Cut after the sign, the point or the exponent mark: no value either.
    expect(parseLenientJson('{"a": 1, "b": 2.').value).toEqual({ a: 1 });
    expect(parseLenientJson('{"a": 1, "b": 2.5e').value).toEqual({ a: 1 });
    expect(parseLenientJson('{"a": 1, "b": -').value).toEqual({ a: 1 });
    // A number closed by a delimiter or a space is whole.
    expect(parseLenientJson('{"a": 12 ').value).toEqual({ a: 12 });
    expect(parseLenientJson('{"a": [12]').value).toEqual({ a: [12] });
  });

  it('garbage gives no value, never an exception', () => {
    for (const s of ['', 'nothing here', '{', '{]', '{"a" 1}', '{"a": tru}', '\u0000{']) {
      expect(() => parseLenientJson(s)).not.toThrow();
      expect(parseLenientJson(s).complete).toBe(false);
    }
  });

  it('reads a multi-megabyte cut document in linear time', () => {
    const item = '{"start": 0, "end": 1.000152, "bytes": 124992000, "sender": true}';
    const big = `{"intervals": [${Array(60_000).fill(item).join(', ')}`;
    const t0 = performance.now();
    const r = parseLenientJson(big.slice(0, -10));
    expect(performance.now() - t0).toBeLessThan(3000);
    expect((r.value as { intervals: unknown[] }).intervals.length).toBe(60_000);
  });
});
