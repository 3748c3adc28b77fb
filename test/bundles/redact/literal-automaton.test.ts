import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GuardClass, LiteralAutomaton } from '../../../bundles/redact/literal-automaton.js';

// The automaton replaced a regex alternation, longest literal first, with guard lookarounds, run
// with matchAll. It must find exactly what that regex found.
const GUARDS: [string, string, GuardClass | undefined][] = [
  ['word', '0-9A-Za-z', (c) => /[0-9A-Za-z]/.test(String.fromCharCode(c))],
  ['colon', '0-9A-Za-z:', (c) => /[0-9A-Za-z:]/.test(String.fromCharCode(c))],
  ['none', '', undefined],
];

function regexHits(literals: readonly string[], ignoreCase: boolean, cls: string, text: string) {
  const alternatives = [...literals]
    .sort((x, y) => y.length - x.length)
    .map((l) => l.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))
    .join('|');
  const source =
    cls === '' ? `(?:${alternatives})` : `(?<![${cls}])(?:${alternatives})(?![${cls}])`;
  return [...text.matchAll(new RegExp(source, ignoreCase ? 'gi' : 'g'))].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
  }));
}

// Letters in both cases, guard and non-guard punctuation, and characters whose case folding is
// special under the regex `i` flag: sharp s has no one-character upper case, both sigmas fold to
// one capital. (Not the long s or the Kelvin sign, which fold to nothing in ASCII: V8 itself
// matches `s` against `ſ` in some alternations, `/(?:s\.s:é|sa|ſ)/i.test('s')`, so the regex is
// no reference there. The automaton follows the spec and keeps them apart.)
const ALPHABET = [...'aAbB1:.-_ ', 'é', 'É', 's', 'S', 'ß', 'σ', 'ς', 'Σ'];
const chars = (max: number) =>
  fc.array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: max }).map((a) => a.join(''));

describe('LiteralAutomaton', () => {
  for (const [name, cls, guard] of GUARDS)
    for (const ignoreCase of [false, true])
      it(`finds what the regex alternation found (guard ${name}, ignoreCase ${ignoreCase})`, () => {
        fc.assert(
          fc.property(
            fc.uniqueArray(chars(6), { minLength: 1, maxLength: 8 }),
            fc.array(fc.constantFrom(...ALPHABET), { maxLength: 80 }).map((a) => a.join('')),
            (raw, text) => {
              // As LiteralMatcher hands them over: lower case when case is ignored, no duplicates.
              const literals = [...new Set(ignoreCase ? raw.map((l) => l.toLowerCase()) : raw)];
              const hits = new LiteralAutomaton(literals, ignoreCase, guard).find(text);
              expect(hits.map(({ start, end }) => ({ start, end }))).toEqual(
                regexHits(literals, ignoreCase, cls, text),
              );
              for (const h of hits) expect(literals[h.literal]!.length, text).toBe(h.end - h.start);
            },
          ),
          { numRuns: 400 },
        );
      });

  it('handles a literal as long as the text, and thousands of literals', () => {
    const long = 'a'.repeat(100_000);
    expect(new LiteralAutomaton([long], false).find(`${long}\n${long}`)).toEqual([
      { start: 0, end: 100_000, literal: 0 },
      { start: 100_001, end: 200_001, literal: 0 },
    ]);
    const many = Array.from({ length: 20_000 }, (_, i) => `host${i}`);
    const guard: GuardClass = (c) => /[0-9A-Za-z]/.test(String.fromCharCode(c));
    const hits = new LiteralAutomaton(many, true, guard).find('HOST19999 host1 host10x');
    expect(hits.map((h) => many[h.literal])).toEqual(['host19999', 'host1']);
  });
});
