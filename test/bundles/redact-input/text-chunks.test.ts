import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt, LineChunker } from '../../../bundles/redact-input/text-chunks.js';

// cutAt as it was before its forward pre-check for a key block: the reference.
function referenceCutAt(text: string, limit: number, final: boolean): number {
  const MAX_CHARS = 16 << 20;
  if (text.length <= limit) return final ? text.length : 0;
  const roomLeft = !final && text.length <= MAX_CHARS;
  let cut = text.lastIndexOf('\n', limit - 1) + 1;
  if (cut === 0) {
    if (roomLeft) return 0;
    cut = limit;
  }
  const begin = text.lastIndexOf('-----BEGIN ', cut - 1);
  if (begin < 0) return cut;
  const end = text.indexOf('-----END ', begin);
  if (end >= 0 && end < cut) return cut;
  const lineStart = text.lastIndexOf('\n', begin - 1) + 1;
  if (lineStart > 0) return lineStart;
  const after = end < 0 ? -1 : text.indexOf('\n', end);
  if (after >= 0) return after + 1;
  if (final) return text.length;
  return roomLeft ? 0 : cut;
}

const text = fc
  .array(fc.constantFrom('a', 'bc ', '\n', '-----BEGIN ', '-----END ', 'KEY-----\n'), {
    maxLength: 40,
  })
  .map((a) => a.join(''));

// The pieces a LineChunker gives for `t` fed in reads of the given sizes, in turn.
function feed(t: string, limit: number, sizes: readonly number[]): string[] {
  const chunker = new LineChunker(limit);
  const pieces: string[] = [];
  for (let at = 0, k = 0; at < t.length; k += 1) {
    const n = sizes[k % sizes.length]!;
    pieces.push(...chunker.push(Buffer.from(t.slice(at, at + n), 'latin1')));
    at += n;
  }
  pieces.push(...chunker.end());
  return pieces;
}

describe('text pieces', () => {
  it('cutAt cuts where the reference cut', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 60 }), fc.boolean(), (t, limit, final) => {
        expect(cutAt(t, limit, final)).toBe(referenceCutAt(t, limit, final));
      }),
      { numRuns: 3000 },
    );
  });

  it('LineChunker gives back the whole text in non-empty pieces, however it is fed', () => {
    fc.assert(
      fc.property(
        text,
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1 }),
        (t, limit, sizes) => {
          const pieces = feed(t, limit, sizes);
          expect(pieces.join('')).toBe(t);
          for (const p of pieces) expect(p).not.toBe('');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('cutAt cuts bytes where it cuts their latin1 text', () => {
    fc.assert(
      fc.property(
        text,
        fc.integer({ min: 1, max: 60 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 5 }),
        (t, limit, final, skip) => {
          // keyFrom as the chunker passes it: no key block begins before it.
          const first = t.indexOf('-----BEGIN ');
          const keyFrom = first < 0 ? Math.min(skip, t.length) : Math.min(skip, first);
          expect(cutAt(Buffer.from(t, 'latin1'), limit, final, keyFrom)).toBe(
            referenceCutAt(t, limit, final),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('LineChunker cuts where the chunker of strings cut', () => {
    // The chunker as it was: the pending text a string, cut by cutAt from its start.
    const reference = (t: string, limit: number): string[] => {
      const out: string[] = [];
      let pending = t;
      for (;;) {
        if (pending === '') return out;
        const cut = referenceCutAt(pending, limit, true);
        if (cut === 0) return [...out, pending];
        out.push(pending.slice(0, cut));
        pending = pending.slice(cut);
      }
    };
    fc.assert(
      fc.property(
        text,
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1 }),
        (t, limit, sizes) => {
          // However it is fed: a read's size is the reader's choice.
          expect(feed(t, limit, sizes)).toEqual(reference(t, limit));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
