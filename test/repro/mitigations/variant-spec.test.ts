import { describe, expect, it } from 'vitest';
import { MAX_VALUE, parseVariant, variantName } from '../../../repro/mitigations/variant-spec.js';

// `--variant` as the user types it: what it parses into, and the error that
// names the part at fault when it is not understood.

function ok(spec: string) {
  const p = parseVariant(spec);
  if ('error' in p) throw new Error(`"${spec}" was refused: ${p.error}`);
  return p.variant;
}

function error(spec: string): string {
  const p = parseVariant(spec);
  if (!('error' in p)) throw new Error(`"${spec}" was accepted as ${JSON.stringify(p.variant)}`);
  return p.error;
}

describe('parseVariant: specs it understands', () => {
  it('baseline changes nothing', () => {
    expect(ok('baseline')).toEqual({ name: 'baseline', items: [] });
    expect(ok('  baseline ')).toEqual({ name: 'baseline', items: [] });
  });

  it('a mitigation alone targets the receiver (B) with its default value', () => {
    expect(ok('backlog')).toEqual({
      name: 'backlog',
      items: [{ mitigation: 'backlog', hosts: 'B' }],
    });
    expect(ok('rmem').items).toEqual([{ mitigation: 'rmem', hosts: 'B' }]);
    expect(ok('budget').items).toEqual([{ mitigation: 'budget', hosts: 'B' }]);
  });

  it('=VALUE is kept as a number and in the name', () => {
    expect(ok('backlog=65536')).toEqual({
      name: 'backlog=65536',
      items: [{ mitigation: 'backlog', value: 65536, hosts: 'B' }],
    });
    expect(ok('ring=1').items[0]?.value).toBe(1);
    expect(ok(`ring=${MAX_VALUE}`).items[0]?.value).toBe(2_147_483_647);
  });

  it('joined by +, in the order given', () => {
    expect(ok('ring=4096+backlog')).toEqual({
      name: 'ring=4096+backlog',
      items: [
        { mitigation: 'ring', value: 4096, hosts: 'B' },
        { mitigation: 'backlog', hosts: 'B' },
      ],
    });
    expect(ok('backlog+ring=4096').name).toBe('backlog+ring=4096');
  });

  it('@A, @B and @both pick the host; the default @B is left out of the name', () => {
    expect(ok('rps@both')).toEqual({
      name: 'rps@both',
      items: [{ mitigation: 'rps', hosts: 'both' }],
    });
    expect(ok('backlog@A')).toEqual({
      name: 'backlog@A',
      items: [{ mitigation: 'backlog', hosts: 'A' }],
    });
    expect(ok('backlog@B')).toEqual({
      name: 'backlog',
      items: [{ mitigation: 'backlog', hosts: 'B' }],
    });
    expect(ok('backlog=65536@both').name).toBe('backlog=65536@both');
  });

  it('the same mitigation on two different hosts is allowed', () => {
    expect(ok('backlog@A+backlog=65536').items).toEqual([
      { mitigation: 'backlog', hosts: 'A' },
      { mitigation: 'backlog', value: 65536, hosts: 'B' },
    ]);
  });

  it('a value with leading zeros is named by its number', () => {
    expect(ok('backlog=065536').name).toBe('backlog=65536');
  });
});

describe('parseVariant: specs it refuses, naming the part at fault', () => {
  it('empty', () => {
    const e = 'an empty variant: use `baseline` or mitigations such as `backlog`';
    expect(error('')).toBe(e);
    expect(error('   ')).toBe(e);
  });

  it('an unknown mitigation, with the known ones', () => {
    expect(error('backlogs')).toBe(
      'variant "backlogs": unknown mitigation "backlogs" (known: backlog, ring, rps, rmem, budget)',
    );
    expect(error('ring+gro')).toBe(
      'variant "ring+gro": unknown mitigation "gro" (known: backlog, ring, rps, rmem, budget)',
    );
    // baseline is a whole variant, not a part of one.
    expect(error('baseline+backlog')).toContain('unknown mitigation "baseline"');
  });

  it('a part that is not MITIGATION[=VALUE][@HOST]', () => {
    expect(error('Backlog')).toBe(
      'variant "Backlog": "Backlog" is not MITIGATION[=VALUE][@A|@B|@both]',
    );
    expect(error('backlog@C')).toBe(
      'variant "backlog@C": "backlog@C" is not MITIGATION[=VALUE][@A|@B|@both]',
    );
    expect(error('backlog=-1')).toContain('"backlog=-1" is not MITIGATION');
    expect(error('backlog=1e5')).toContain('"backlog=1e5" is not MITIGATION');
    expect(error('backlog+')).toBe('variant "backlog+": "" is not MITIGATION[=VALUE][@A|@B|@both]');
    expect(error('backlog;reboot')).toContain('"backlog;reboot" is not MITIGATION');
  });

  it('values out of range', () => {
    expect(error('backlog=0')).toBe(
      'variant "backlog=0": backlog=0 is out of range (1 to 2147483647)',
    );
    expect(error('ring=2147483648')).toBe(
      'variant "ring=2147483648": ring=2147483648 is out of range (1 to 2147483647)',
    );
    expect(error('rmem=99999999999999999999')).toContain(
      'rmem=99999999999999999999 is out of range (1 to 2147483647)',
    );
  });

  it('rps takes no value', () => {
    expect(error('rps=3')).toBe('variant "rps=3": rps takes no value');
    expect(error('backlog+rps=3@both')).toBe('variant "backlog+rps=3@both": rps takes no value');
  });

  it('the same mitigation twice for the same host', () => {
    const twice = (s: string) => `variant "${s}": backlog is given twice for the same host`;
    expect(error('backlog+backlog=65536')).toBe(twice('backlog+backlog=65536'));
    expect(error('backlog+backlog@B')).toBe(twice('backlog+backlog@B'));
    expect(error('backlog@A+backlog@both')).toBe(twice('backlog@A+backlog@both'));
    expect(error('backlog@both+backlog')).toBe(twice('backlog@both+backlog'));
  });
});

describe('variantName', () => {
  it('names no item baseline, and leaves the default host out', () => {
    expect(variantName([])).toBe('baseline');
    expect(
      variantName([
        { mitigation: 'ring', value: 4096, hosts: 'both' },
        { mitigation: 'rps', hosts: 'B' },
        { mitigation: 'budget', value: 600, hosts: 'A' },
      ]),
    ).toBe('ring=4096@both+rps+budget=600@A');
  });
});
