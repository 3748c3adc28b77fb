import { describe, expect, it } from 'vitest';
import {
  parseHex32,
  parseSmallInt,
  parseU64,
  toJsonNumber,
  U64_MAX,
} from '../../collectors/counter.js';

describe('parseU64', () => {
  it('keeps u64 max exact (iwlwifi ethtool -S prints it)', () => {
    expect(parseU64('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseU64('18446744073709551615')).toBe(U64_MAX);
  });

  it('parses plain decimals, leading zeros and surrounding blanks', () => {
    expect(parseU64('0')).toBe(0n);
    expect(parseU64('00012')).toBe(12n);
    expect(parseU64('  653824626 ')).toBe(653824626n);
    expect(parseU64('0000000000000000000000000000042')).toBe(42n);
  });

  it('rejects values above u64 max, signs and garbage', () => {
    for (const bad of ['18446744073709551616', '99999999999999999999', '-1', '+1', '1e3', '0x10']) {
      expect(parseU64(bad)).toBeUndefined();
    }
    for (const bad of ['', ' ', '1 2', '1.5', 'n/a', '1.2M', '١٢'])
      expect(parseU64(bad)).toBeUndefined();
  });
});

describe('parseHex32', () => {
  it('reads softnet_stat %08x fields', () => {
    expect(parseHex32('00000029')).toBe(41n);
    expect(parseHex32('ffffffff')).toBe(4294967295n);
    expect(parseHex32('6DCAD223')).toBe(0x6dcad223n);
    expect(parseHex32('0x10')).toBe(16n);
  });

  it('rejects more than 32 bits and non-hex', () => {
    for (const bad of ['100000000', 'g0000000', '', '-1', '0x', ' 1 2 ']) {
      expect(parseHex32(bad)).toBeUndefined();
    }
  });
});

describe('toJsonNumber', () => {
  it('returns numbers up to 2^53 and decimal strings above', () => {
    expect(toJsonNumber(0n)).toBe(0);
    expect(toJsonNumber(2n ** 53n)).toBe(9007199254740992);
    expect(toJsonNumber(2n ** 53n + 1n)).toBe('9007199254740993');
    expect(toJsonNumber(U64_MAX)).toBe('18446744073709551615');
  });
});

describe('parseSmallInt', () => {
  it('returns safe integers only', () => {
    expect(parseSmallInt('9001')).toBe(9001);
    expect(parseSmallInt('9007199254740992')).toBeUndefined();
    expect(parseSmallInt('x')).toBeUndefined();
  });
});
