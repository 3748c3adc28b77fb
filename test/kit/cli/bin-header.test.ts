import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

// The bins start as sh and exec node without NODE_EXTRA_CA_CERTS (node
// parses that file before any code runs; dropkit makes no TLS connection).
// A CA file that does not exist makes node warn when it tries to load it:
// the warning is the witness.
const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const env = { NODE_EXTRA_CA_CERTS: '/nonexistent/dropkit-test-ca.pem' };
const dir = mkdtempSync(join(tmpdir(), 'dropkit-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bins', () => {
  it('run as executables, and node starts without NODE_EXTRA_CA_CERTS', async () => {
    for (const bin of ['collect', 'repro']) {
      const r = await execa(`dist/bin/${bin}.js`, ['--version'], { env, reject: false });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(version);
      expect(r.stderr).toBe('');
    }
  });

  it('work through a symlink, as npm links them', async () => {
    const link = join(dir, 'collect');
    symlinkSync(resolve('dist/bin/collect.js'), link);
    const r = await execa(link, ['--version'], { env, reject: false });
    expect(r.stdout).toBe(version);
    expect(r.stderr).toBe('');
  });

  it('pass arguments through the sh hop untouched', async () => {
    const r = await execa(
      'dist/bin/collect.js',
      ['bundle', '--local', '--case', "it's a $(bad) id"],
      {
        env,
        reject: false,
      },
    );
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`invalid case ID "it's a $(bad) id"`);
  });

  it('still run as `node dist/bin/collect.js`, which pays for the CA file', async () => {
    const r = await execa('node', ['dist/bin/collect.js', '--version'], { env, reject: false });
    expect(r.stdout).toBe(version);
    expect(r.stderr).toMatch(/Ignoring extra certs/);
  });

  // `collect --help | head -1`: the reader may leave before the help is written, and
  // it meets a closed pipe (EPIPE), which node reports on a later tick.
  it('end quietly when the reader of stdout leaves early', async () => {
    for (const args of ['--help', 'snapshot --help']) {
      const r = await execa('bash', ['-c', `set -o pipefail; dist/bin/collect.js ${args} | true`], {
        env,
        reject: false,
      });
      expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
      expect(r.exitCode).toBe(0);
    }
  });
});
