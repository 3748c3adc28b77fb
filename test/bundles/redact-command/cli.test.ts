import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

// The built CLI: standard input to standard output, --keep, and its refusals.
const dir = mkdtempSync(join(tmpdir(), 'dropkit-redact-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { XDG_CONFIG_HOME: join(dir, 'config') };
const run = (args: string[], input?: string) =>
  execa('node', [join(process.cwd(), 'dist/bin/collect.js'), 'redact', ...args], {
    reject: false,
    cwd: dir,
    env,
    ...(input !== undefined ? { input } : {}),
  });

describe('collect redact (built CLI)', () => {
  it('- reads standard input and writes the redacted text to standard output only', async () => {
    const r = await run(['-', '--case', 'c1'], 'peer web01.corp.example at 10.20.30.40\n');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^peer web01\.corp\.example at 2[45]\d\.\d+\.\d+\.\d+$/);
    expect(r.stdout).not.toContain('10.20.30.40');
    expect(r.stderr).toMatch(/replaced: ipv4 1/);
    expect(readdirSync(dir).sort()).toEqual(['config', 'stdin-redacted.map.json']);
  });

  it('--keep leaves one category readable and says so; unknown categories and secret are refused', async () => {
    writeFileSync(join(dir, 'a.log'), 'from 10.20.30.40 mac 00:0d:3a:12:34:56\n');
    const r = await run(['a.log', '--keep', 'ipv4', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.kept).toEqual(['ipv4']);
    expect(j.replaced).toEqual({ mac: 1 });
    const bad = await run(['a.log', '--keep', 'ipv5']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/unknown category "ipv5": use one of ipv4, ipv6, mac, hostname/);
    expect((await run(['a.log', '--keep', 'secret'])).exitCode).toBe(2);
  });

  it('a binary file alone is refused, and nothing is written', async () => {
    writeFileSync(join(dir, 'b.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]));
    const before = readdirSync(dir).sort();
    const r = await run(['b.bin']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/binary \(NUL bytes\): nothing to redact/);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  // Ctrl-C halfway: standard input is held open, so the run is certainly
  // still reading when the signal comes, whatever the machine's speed. The
  // input is larger than a pipe holds, so its write completes only once the
  // CLI is reading it: its signal handlers are in place by then.
  it('Ctrl-C halfway: exit 130, nothing written, no partial file or map left', async () => {
    const out = join(dir, 'interrupted');
    const child = execa(
      'node',
      [join(process.cwd(), 'dist/bin/collect.js'), 'redact', '-', '--out', out],
      { reject: false, cwd: dir, env },
    );
    const line = 'Dec  7 12:00:00 web0001 kernel: SRC=10.1.2.3 MAC=00:0d:3a:00:00:01\n';
    await new Promise((r) => child.stdin!.write(line.repeat(4000), r));
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toMatch(/interrupted: nothing was written/);
    expect(r.stdout).toBe('');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});
