import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../bundles/redact/index.js';
import { SECRET_A } from './helpers.js';

describe('redactBuffer', () => {
  const r = createRedactor({ secret: SECRET_A, discovered: { keywords: ['Müller'] } });

  it('returns the same bytes when nothing is sensitive, even bytes that are not UTF-8', () => {
    const buf = Buffer.concat([
      Buffer.from('rx_packets: 12\r\n', 'latin1'),
      Buffer.from([0x00, 0xff, 0xfe, 0xc3, 0x28, 0x80, 0x0a]),
      Buffer.from('grüße 🙂 0000:00:05.0\n', 'utf8'),
    ]);
    const { buffer, counts } = r.redactBuffer(buf);
    expect(buffer.equals(buf)).toBe(true);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });

  it('replaces values next to non-UTF-8 bytes and keeps the byte length', () => {
    const buf = Buffer.concat([
      Buffer.from([0xff]),
      Buffer.from('00:0d:3a:12:34:56', 'latin1'),
      Buffer.from([0xfe, 0x0a]),
    ]);
    const { buffer } = r.redactBuffer(buf);
    expect(buffer).toHaveLength(buf.length);
    expect(buffer[0]).toBe(0xff);
    expect(buffer.subarray(1, 18).toString('latin1')).toMatch(/^d2:ec(:[0-9a-f]{2}){4}$/);
    expect(buffer.subarray(18).equals(Buffer.from([0xfe, 0x0a]))).toBe(true);
  });

  it('finds a non-ASCII keyword in its UTF-8 bytes', () => {
    const { buffer } = r.redactBuffer(Buffer.from('owner: Müller\n', 'utf8'));
    expect(buffer.toString('utf8')).not.toContain('Müller');
    expect(buffer.toString('utf8')).toMatch(/^owner: kw-[0-9a-f]{4}\n$/);
  });
});
