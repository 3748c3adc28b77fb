import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, scanForLeaks } from '../../../bundles/redact/index.js';
import { fromOctets, ipv4ToText, isKeptIPv4 } from '../../../bundles/redact/ipv4.js';
import { SECRET_A } from './helpers.js';

// Filler words use letters that are neither hex digits nor able to spell a rule's key word
// (`sig`, `version`, `fw`, `password` all need a, d, e, f, i or s), and separators that cannot
// glue a value into a longer run (no `.`, `:`, `-`, `/`).
const word = fc
  .array(fc.constantFrom(...'ghjklmnopqrtuvwxyz'), { minLength: 1, maxLength: 8 })
  .map((cs) => cs.join(''));
const separator = fc.constantFrom(' ', '  ', '\n', '\t', ', ', ' (', ') ', '="', '" ', ' [', '] ');

const ipv4 = fc
  .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
  .map((o) => fromOctets(o))
  .filter((v) => !isKeptIPv4(v))
  .map((v) => ({ kind: 'ipv4' as const, text: ipv4ToText(v) }));

const mac = fc
  .tuple(
    fc.array(fc.nat(255), { minLength: 6, maxLength: 6 }),
    fc.constantFrom('colon', 'dash', 'dot'),
    fc.boolean(),
  )
  .map(([bytes, style, upper]) => {
    bytes[0] = bytes[0]! & 0xfe; // unicast: a multicast MAC is kept by design
    if (bytes[0] === 0xd2 && bytes[1] === 0xec) bytes[1] = 0xed; // not our token prefix
    if (Math.max(...bytes) === 0) bytes[5] = 1;
    const hex = bytes.map((b) => b.toString(16).padStart(2, '0'));
    const joined = hex.join('');
    const text =
      style === 'colon'
        ? hex.join(':')
        : style === 'dash'
          ? hex.join('-')
          : `${joined.slice(0, 4)}.${joined.slice(4, 8)}.${joined.slice(8)}`;
    return { kind: 'mac' as const, text: upper ? text.toUpperCase() : text };
  });

const planted = fc.oneof(ipv4, mac);
const piece = fc.oneof(
  word.map((text) => ({ kind: 'filler' as const, text })),
  planted,
);
const document = fc.array(fc.tuple(piece, separator), { minLength: 1, maxLength: 60 });

// `value` as a whole token (not as part of a longer number or hex run).
function occurs(text: string, value: string): boolean {
  const escaped = value.replace(/[.]/g, '\\.');
  return new RegExp(`(?<![0-9A-Za-z.:-])${escaped}(?![0-9A-Za-z]|[.:-][0-9A-Za-z])`, 'i').test(
    text,
  );
}

describe('random text with planted IPv4 and MACs', () => {
  it('leaves no planted value, keeps every line, scans clean, is idempotent', () => {
    fc.assert(
      fc.property(document, (parts) => {
        const text = parts.map(([p, sep]) => p.text + sep).join('');
        const r = createRedactor({ secret: SECRET_A });
        const out = r.redactText(text).text;
        // MAC tokens take their original's length; IPv4 tokens have their own digits.
        const lengths = (t: string) => t.split('\n').map((l) => l.length);
        if (parts.every(([p]) => p.kind !== 'ipv4')) expect(lengths(out)).toEqual(lengths(text));
        else expect(lengths(out)).toHaveLength(lengths(text).length);
        for (const [p] of parts)
          if (p.kind !== 'filler') expect(occurs(out, p.text), p.text).toBe(false);
        expect(scanForLeaks([{ path: 'p', text: out }], r.sensitiveValues())).toEqual([]);
        expect(r.redactText(out).text).toBe(out);
      }),
      { numRuns: 300 },
    );
  });

  it('gives one value the same token in every position and every redactor', () => {
    fc.assert(
      fc.property(planted, fc.array(word, { maxLength: 5 }), (p, words) => {
        const text = `${p.text} ${words.join(' ')} ${p.text}`;
        const a = createRedactor({ secret: SECRET_A }).redactText(text).text.split(' ');
        const b = createRedactor({ secret: SECRET_A }).redactText(p.text).text;
        expect(a[0]).toBe(a[a.length - 1]);
        expect(a[0]).toBe(b);
      }),
      { numRuns: 200 },
    );
  });
});

describe('random bytes', () => {
  it('round-trip byte-exact through redactBuffer when nothing is sensitive', () => {
    const r = createRedactor({ secret: SECRET_A });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const buf = Buffer.from(bytes);
        expect(r.redactBuffer(buf).buffer.equals(buf)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
