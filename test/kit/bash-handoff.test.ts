import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { execBashLine } from '../../kit/bash-handoff.js';
import { LocalTransport } from '../../kit/transport/local.js';

describe('the bash handoff', () => {
  it('runs the script under bash, out of argv, and no child inherits it', async () => {
    const marker = `dk-boundary-${process.pid}`;
    const bash = `echo "${marker} bash=\${BASH_VERSION:+yes}"\nsleep 0.4\nenv | grep -c '^DROPKIT_SCRIPT=' || true\n`;
    const script = `${execBashLine(bash, 'dropkit-test')}echo "${marker} posix"\n`;
    const running = new LocalTransport().exec({ script, timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 200));
    const ps = await execa('ps', ['-eo', 'args']);
    const r = await running;
    expect(r.stdout.toString()).toBe(`${marker} bash=yes\n0\n`);
    expect(ps.stdout).not.toContain(marker);
  });
});
