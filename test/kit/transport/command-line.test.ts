import { readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { shellJoin, shellQuote } from '../../../kit/shell-quote.js';
import {
  buildCommandLine,
  sudoWantsPassword,
  sweepScript,
} from '../../../kit/transport/command-line.js';

// PIDs of this test's `sleep 42.75`, read from /proc.
function sleepers(): string[] {
  return readdirSync('/proc').filter((p) => {
    if (!/^\d+$/.test(p)) return false;
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'latin1') === 'sleep\u000042.75\u0000';
    } catch {
      return false;
    }
  });
}

describe('command lines', () => {
  it('quotes every argument so the remote shell sees it literally', async () => {
    const argv = ["a'b", '$HOME', '`id`', 'x y', '', '*'];
    const r = await execa('sh', ['-c', `printf '[%s]' ${shellJoin(argv)}`]);
    expect(r.stdout).toBe("[a'b][$HOME][`id`][x y][][*]");
    expect(shellQuote('plain-word_1.2')).toBe('plain-word_1.2');
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });

  it('tags the command environment and adds sudo -n only when needed', () => {
    const asUser = buildCommandLine({
      argv: ['ethtool', '-S', 'eth0'],
      root: true,
      loginIsRoot: false,
      tag: 't1',
      runId: 'r1',
    });
    expect(asUser).toBe("sudo -n env DROPKIT_RUN=r1 DROPKIT_TAG=t1 sh -c 'ethtool -S eth0'");
    const asRoot = buildCommandLine({
      argv: ['ethtool', '-S', 'eth0'],
      root: true,
      loginIsRoot: true,
      tag: 't1',
      runId: 'r1',
    });
    expect(asRoot.startsWith('env ')).toBe(true);
    expect(
      buildCommandLine({ script: 'x', root: false, loginIsRoot: false, tag: 't', runId: 'r' }),
    ).toBe('env DROPKIT_RUN=r DROPKIT_TAG=t sh -s');
  });

  it('the sweep finds and kills tagged processes under dash, and prints no survivor', async () => {
    const child = execa('sh', ['-c', 'env DROPKIT_TAG=sweeptest1 sh -c "sleep 42.75"'], {
      reject: false,
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(sleepers()).toHaveLength(1);
    const killed = await execa('dash', ['-s'], {
      input: sweepScript({ name: 'DROPKIT_TAG', value: 'sweeptest1' }),
    });
    expect(killed.stdout).toBe('');
    await child;
    expect(sleepers()).toEqual([]);
  });

  it('recognises sudo asking for a password', () => {
    expect(sudoWantsPassword('sudo: a password is required\n')).toBe(true);
    expect(sudoWantsPassword('sudo: a terminal is required to read the password')).toBe(true);
    expect(sudoWantsPassword('ethtool: bad command line')).toBe(false);
  });
});
