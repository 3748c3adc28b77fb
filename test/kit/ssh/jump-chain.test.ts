import { describe, expect, it } from 'vitest';
import { jumpChain } from '../../../kit/ssh/jump-chain.js';

const jumps = (table: Record<string, string[]>) => (spec: string) => table[spec];

describe('jumpChain', () => {
  it('keeps a chain whose first hop has no ProxyJump of its own', () => {
    expect(jumpChain(['a', 'b'], jumps({}))).toEqual({ ok: true, hops: ['a', 'b'] });
  });

  it("prepends the first hop's own chain, recursively, and ignores the later hops' own", () => {
    const table = { a: ['c'], c: ['d', 'e'], b: ['ignored'], e: ['ignored-too'] };
    expect(jumpChain(['a', 'b'], jumps(table))).toEqual({
      ok: true,
      hops: ['d', 'e', 'c', 'a', 'b'],
    });
  });

  it('refuses loops, such as `Host *` + ProxyJump without excluding the jump host', () => {
    expect(jumpChain(['bastion'], jumps({ bastion: ['bastion'] }))).toEqual({
      ok: false,
      reason: expect.stringContaining('"bastion" is itself configured to jump through "bastion"'),
    });
    expect(jumpChain(['a'], jumps({ a: ['b'], b: ['a'] }))).toMatchObject({ ok: false });
    // Names that differ every time still end.
    let n = 0;
    const endless = () => [`h${n++}`];
    expect(jumpChain(['a'], endless)).toMatchObject({ ok: false, reason: /more than 16/ });
  });
});
