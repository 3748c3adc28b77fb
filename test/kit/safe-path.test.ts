import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DropkitError } from '../../kit/errors.js';
import { isSafeRelPath, resolveUnder, unsafeReason } from '../../kit/safe-path.js';

describe('the one rule for paths we write', () => {
  it('takes relative, forward-slashed paths of real names', () => {
    for (const p of ['snapshot.json', 'raw/ethtool/eth0/ethtool-S.txt', 'a..b/c', '.hidden', 'x y'])
      expect(isSafeRelPath(p), p).toBe(true);
  });

  it('refuses what could climb out, or is no name at all', () => {
    const bad: Record<string, RegExp> = {
      '': /empty/,
      '/etc/passwd': /absolute/,
      '../x': /".." segment/,
      'raw/../../x': /".." segment/,
      'raw/./x': /"." segment/,
      '.': /"." segment/,
      'raw//x': /empty segment/,
      'raw/': /empty segment/,
      'raw/x\u0000y': /control character or NUL/,
      'raw/e\u001b[31m': /control character/,
      'raw/a\nb': /control character/,
      'raw/\u007f': /control character/,
    };
    for (const [p, why] of Object.entries(bad)) {
      expect(isSafeRelPath(p), JSON.stringify(p)).toBe(false);
      expect(unsafeReason(p)).toMatch(why);
    }
  });

  it('resolves under the root, or throws a DropkitError that says why', () => {
    expect(resolveUnder('/out', 'raw/ethtool/eth0/x.txt')).toBe('/out/raw/ethtool/eth0/x.txt');
    expect(resolveUnder('/out/', 'snapshot.json')).toBe(join('/out', 'snapshot.json'));
    for (const p of ['../../home/u/.bashrc.d/x', '/tmp/x', 'raw/ethtool/../../../x', '']) {
      let err: unknown;
      try {
        resolveUnder('/out', p, { code: 'OUT_NOT_WRITABLE', step: 'write' });
      } catch (e) {
        err = e;
      }
      expect(err, p).toBeInstanceOf(DropkitError);
      expect((err as DropkitError).code).toBe('OUT_NOT_WRITABLE');
      expect((err as DropkitError).message).toContain('refusing to write');
      expect((err as DropkitError).message).toContain(JSON.stringify(p));
    }
  });
});
