import { describe, expect, it } from 'vitest';
import { formatBitRate } from '../../kit/bit-rate.js';

describe('formatBitRate', () => {
  it('fixed: three significant digits, for columns of measured rates', () => {
    expect(formatBitRate(9_423_456_789)).toBe('9.42 Gbit/s');
    expect(formatBitRate(25e9)).toBe('25.0 Gbit/s');
    expect(formatBitRate(940_120_000)).toBe('940.1 Mbit/s');
    expect(formatBitRate(1500)).toBe('1.50 kbit/s');
    expect(formatBitRate(12)).toBe('12.0 bit/s');
  });

  it('short: as a rate is typed, for messages', () => {
    expect(formatBitRate(25e9, 'short')).toBe('25 Gbit/s');
    expect(formatBitRate(1e9 / 32, 'short')).toBe('31.25 Mbit/s');
    expect(formatBitRate(500e3, 'short')).toBe('500 kbit/s');
    expect(formatBitRate(0, 'short')).toBe('0 bit/s');
  });

  it('no number, no rate', () => {
    expect(formatBitRate(undefined)).toBe('-');
    expect(formatBitRate(Number.NaN, 'short')).toBe('-');
  });
});
