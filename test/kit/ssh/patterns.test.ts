import { describe, expect, it } from 'vitest';
import { matchPattern, matchPatternList } from '../../../kit/ssh/patterns.js';

describe('matchPattern', () => {
  it.each([
    ['web1.example.com', '*.example.com', true],
    ['example.com', '*.example.com', false],
    ['web1', 'web?', true],
    ['web12', 'web?', false],
    ['a.b', 'a.b', true],
    ['axb', 'a.b', false], // '.' is literal, not a regex dot
    ['[h]:2222', '[h]:*', true],
    ['x+y', 'x+y', true],
    ['', '', true],
    ['', '*', true],
    ['Web1', 'web1', false], // case-sensitive on its own
  ])('%s vs %s → %s', (value, pattern, expected) => {
    expect(matchPattern(value, pattern)).toBe(expected);
  });
});

describe('matchPatternList', () => {
  it('needs a positive hit and no negated hit', () => {
    const list = '*.example.com,!bad.example.com';
    expect(matchPatternList('ok.example.com', list, true)).toBe('match');
    expect(matchPatternList('bad.example.com', list, true)).toBe('negated');
    expect(matchPatternList('other.org', list, true)).toBe('no-match');
    expect(matchPatternList('x', '!y', true)).toBe('no-match');
  });

  it('folds case when asked', () => {
    expect(matchPatternList('HOST.Example.COM', '*.example.com', true)).toBe('match');
    expect(matchPatternList('Alice', 'alice', false)).toBe('no-match');
  });
});
