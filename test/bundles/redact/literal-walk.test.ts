import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GuardClass, LiteralAutomaton } from '../../../bundles/redact/literal-automaton.js';
import { LiteralWalk, WalkSet } from '../../../bundles/redact/literal-walk.js';
import { LiteralMatcher, type LiteralSpelling } from '../../../bundles/redact/literals.js';

// The walks stand in for the automaton on guarded groups: they must find exactly what it finds,
// group by group, whatever else is walked in the same pass.
const word: GuardClass = (c) => /[0-9A-Za-z]/.test(String.fromCharCode(c));
const colon: GuardClass = (c) => /[0-9A-Za-z:]/.test(String.fromCharCode(c));

// Latin1 only (the walks read bytes), with both cases, guard and non-guard punctuation, and
// characters whose case folding is special.
const ALPHABET = [...'aAbB1:.-_ ', 'é', 'É', 's', 'S', 'ß', 'ÿ', 'µ'];
const chars = (max: number) =>
  fc.array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: max }).map((a) => a.join(''));
const texts = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 120 }).map((a) => a.join(''));

const triples = (hits: readonly { start: number; end: number; literal: number }[]) =>
  hits.flatMap((h) => [h.start, h.end, h.literal]);

describe('literal walks', () => {
  it('find what the automaton finds, for each group walked in the same pass', () => {
    const groups: Array<[GuardClass, boolean]> = [
      [word, false],
      [word, true],
      [colon, true],
      [colon, false],
    ];
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(chars(6), { minLength: 1, maxLength: 8 }), {
          minLength: groups.length,
          maxLength: groups.length,
        }),
        texts,
        (raw, text) => {
          const literals = raw.map((r, g) => [
            ...new Set(groups[g]![1] ? r.map((l) => l.toLowerCase()) : r),
          ]);
          const walks = groups.map(([guard, ic], g) => new LiteralWalk(literals[g]!, ic, guard));
          const found = new WalkSet(walks).find(Buffer.from(text, 'latin1'), 1 << 20);
          groups.forEach(([guard, ic], g) => {
            const expected = new LiteralAutomaton(literals[g]!, ic, guard).find(text);
            expect(found[g]).toEqual(triples(expected));
          });
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('leave a group whose walks run over budget to the automaton, with the same hits', () => {
    // Each start walks most of a literal that is never there: quadratic without the budget.
    const long = `${'a.'.repeat(2000)}b`;
    const text = 'a.'.repeat(5000);
    const walk = new LiteralWalk([long, 'a.a'], false, word);
    expect(new WalkSet([walk]).find(Buffer.from(text, 'latin1'), 4 * text.length)[0]).toBe(
      undefined,
    );
    const spellings: LiteralSpelling[] = [long, 'a.a'].map((t) => ({
      text: t,
      category: 'hostname',
      ignoreCase: false,
      guard: 'word',
    }));
    const hits = new LiteralMatcher(spellings).find(text);
    const expected = new LiteralAutomaton([long, 'a.a'], false, word).find(text);
    expect(hits.map((h) => [h.start, h.end])).toEqual(expected.map((h) => [h.start, h.end]));
  });

  it('searches a text of characters above latin1 with the automaton', () => {
    const spellings: LiteralSpelling[] = [
      { text: 'σa', category: 'hostname', ignoreCase: true, guard: 'word' },
      { text: 'host1', category: 'hostname', ignoreCase: true, guard: 'word' },
    ];
    expect(new LiteralMatcher(spellings).find('Σa HOST1 σa')).toEqual([
      { start: 0, end: 2, category: 'hostname' },
      { start: 3, end: 8, category: 'hostname' },
      { start: 9, end: 11, category: 'hostname' },
    ]);
  });
});
