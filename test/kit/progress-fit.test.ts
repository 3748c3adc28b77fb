import { afterEach, describe, expect, it } from 'vitest';
import { fitted, progressMode } from '../../kit/progress.js';

describe('the live status line', () => {
  const term = process.env['TERM'];
  afterEach(() => {
    if (term === undefined) delete process.env['TERM'];
    else process.env['TERM'] = term;
  });

  it('fits one row of the terminal', () => {
    expect(fitted('abcdef', 10)).toBe('abcdef');
    expect(fitted('abcdefghijkl', 10)).toBe('abcdefghi…');
    expect([...fitted(`… ${'x'.repeat(200)}`, 79)].length).toBe(79);
  });

  it('is plain lines with TERM=dumb, and nothing with --json', () => {
    process.env['TERM'] = 'dumb';
    expect(progressMode(false)).toBe('plain');
    expect(progressMode(true)).toBe('quiet');
  });
});
