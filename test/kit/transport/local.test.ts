import { getEventListeners } from 'node:events';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { LocalTransport, localSpawn } from '../../../kit/transport/local.js';

describe('local transport', () => {
  const t = new LocalTransport();

  it('runs argv with exact stdout bytes, stderr and exit code', async () => {
    const r = await t.exec({ argv: ['sh', '-c', "printf '\\000\\377'; echo err >&2; exit 3"] });
    expect([...r.stdout]).toEqual([0, 255]);
    expect(r.stderr).toBe('err\n');
    expect(r.exitCode).toBe(3);
    expect(r.timedOut).toBe(false);
  });

  it('runs a script on stdin and passes stdin to argv commands', async () => {
    expect((await t.exec({ script: 'echo $((6 * 7))' })).stdout.toString()).toBe('42\n');
    expect((await t.exec({ argv: ['cat'], stdin: 'hello' })).stdout.toString()).toBe('hello');
  });

  it('a timeout kills the whole process tree', async () => {
    const r = await t.exec({
      argv: ['sh', '-c', 'sleep 41.25 & sleep 41.5; echo never'],
      timeoutMs: 300,
    });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    const left = await execa('pgrep', ['-f', 'sleep 41\\.'], { reject: false });
    expect(left.stdout.trim()).toBe('');
  });

  it('leaves no listener on a shared release signal once a command is over', async () => {
    // A reproduction passes one run-wide signal to every tied command.
    const release = new AbortController();
    for (let i = 0; i < 12; i++)
      await t.exec({ argv: ['true'], tied: true, release: release.signal });
    expect(getEventListeners(release.signal, 'abort')).toHaveLength(0);
  });

  it('a tied script runs from stdin, out of every argv, until released', async () => {
    // The marker stands for a frame boundary: no process may show it in argv.
    const marker = `dk-secret-${process.pid}`;
    const release = new AbortController();
    const seen: string[] = [];
    const running = t.exec({
      script: `echo ${marker}-start\nwhile :; do sleep 0.05; done\n`,
      tied: true,
      release: release.signal,
      timeoutMs: 10_000,
      onStdout: (c) => seen.push(c.toString()),
    });
    while (!seen.join('').includes(`${marker}-start`)) await new Promise((r) => setTimeout(r, 20));
    const ps = await execa('ps', ['-eo', 'args']);
    expect(ps.stdout).not.toContain(marker);
    release.abort();
    const r = await running;
    expect(r.timedOut).toBe(false);
    expect(r.stdout.toString()).toBe(`${marker}-start\n`);
  });

  it('streams stdout while the command runs', async () => {
    const chunks: string[] = [];
    const r = await t.exec({
      argv: ['sh', '-c', 'echo a; sleep 0.1; echo b'],
      onStdout: (c) => chunks.push(c.toString()),
    });
    expect(chunks.join('')).toBe('a\nb\n');
    expect(r.stdout.toString()).toBe('a\nb\n');
  });

  it('starts a tagged script as `sh -s` itself, the tags in its environment', async () => {
    const direct = localSpawn('env DROPKIT_RUN=ab12 DROPKIT_TAG=cd34 sh -s');
    expect(direct.args).toEqual(['-s']);
    expect(direct.env).toMatchObject({ DROPKIT_RUN: 'ab12', DROPKIT_TAG: 'cd34' });
    expect(direct.env?.['PATH']).toBe(process.env['PATH']);
    // Anything else is the shell's to read.
    for (const line of [
      'sudo -n env DROPKIT_RUN=ab12 DROPKIT_TAG=cd34 sh -s',
      "env DROPKIT_RUN=ab12 DROPKIT_TAG=cd34 sh -c 'echo hi'",
      "env DROPKIT_RUN='a b' DROPKIT_TAG=cd34 sh -s",
      'env DROPKIT_RUN=ab12 DROPKIT_TAG=$(id) sh -s',
    ])
      expect(localSpawn(line)).toEqual({ args: ['-c', line] });
    const r = await t.exec({ script: "echo \"$DROPKIT_TAG\"; tr '\\000' ' ' </proc/$$/cmdline" });
    expect(r.stdout.toString()).toMatch(/^[0-9a-f]{12}\nsh -s $/);
  });
});
