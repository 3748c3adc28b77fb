import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseUserConfig } from '../../../kit/user-config.js';
import { cli } from '../../cli-helpers.js';

// $XDG_CONFIG_HOME/dropkit/config.yaml: defaults under the flags, located
// errors, and never a raised safety cap.
const home = mkdtempSync(join(tmpdir(), 'dropkit-config-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function writeConfig(text: string): string {
  mkdirSync(join(home, 'dropkit'), { recursive: true });
  const file = join(home, 'dropkit', 'config.yaml');
  writeFileSync(file, text);
  return file;
}

describe('parseUserConfig', () => {
  it('reads the known keys as option values', () => {
    const { config, problems } = parseUserConfig(
      'ssh-config: [~/.ssh/fleet.conf]\nout: /var/tmp/cases\nredact-keyword: contoso\nprofile: microburst\nparallel: 16\n',
      'c.yaml',
    );
    expect(problems).toEqual([]);
    expect(Object.fromEntries(config.values)).toEqual({
      sshConfig: ['~/.ssh/fleet.conf'],
      out: '/var/tmp/cases',
      redactKeyword: ['contoso'],
      profile: 'microburst',
      parallel: 16,
    });
  });

  it('names the file, line and key of each problem; caps are refused', () => {
    const { problems } = parseUserConfig(
      'out: /tmp\nmax-rate: 100G\nprofle: x\nparallel: -1\nredact-keyword: [a, {b: c}]\n',
      'c.yaml',
    );
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.key}`)).toEqual([
      'c.yaml:2: max-rate',
      'c.yaml:3: profle',
      'c.yaml:4: parallel',
      'c.yaml:5: redact-keyword',
    ]);
    expect(problems[0]!.reason).toMatch(/safety caps are never raised/);
    expect(parseUserConfig('out: [\n', 'c.yaml').problems).toHaveLength(1);
    expect(parseUserConfig('- a\n', 'c.yaml').problems[0]!.reason).toMatch(/map of keys/);
    expect(parseUserConfig('', 'c.yaml').problems).toEqual([]);
  });
});

describe('the config file under the CLI', () => {
  it('its out: is the default, and a flag wins over it', async () => {
    const out = join(home, 'cases');
    mkdirSync(out, { recursive: true });
    writeConfig(`out: ${out}\n`);
    const env = { XDG_CONFIG_HOME: home };
    const r = await cli('collect', ['bundle', '--local', '--quiet'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(`bundle: ${out}/`);
    const flag = join(home, 'flag');
    mkdirSync(flag);
    const f = await cli('collect', ['bundle', '--local', '--quiet', '--out', flag], env);
    expect(f.stdout).toContain(`bundle: ${flag}/`);
  });

  it('a broken file is a usage error naming file, line and key; --config picks another', async () => {
    const file = writeConfig('out: /tmp\nmax-duration: 3600\n');
    const r = await cli('collect', ['doctor', '--local'], { XDG_CONFIG_HOME: home });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${file}:2: max-duration: safety caps are never raised`);
    const other = join(home, 'other.yaml');
    writeFileSync(other, 'profile: microburst\n');
    const ok = await cli('repro', ['--config', other, 'profiles'], { XDG_CONFIG_HOME: home });
    expect(ok.exitCode, ok.stderr).toBe(0);
    const missing = await cli('repro', ['--config', join(home, 'nope.yaml'), 'profiles']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the config file/);
  });

  it('keep: applies to collect bundle as --keep would; a category that cannot be kept is refused', async () => {
    const out = join(home, 'kept');
    mkdirSync(out, { recursive: true });
    const env = { XDG_CONFIG_HOME: home };
    writeConfig(`keep: [ipv4]\n`);
    const r = await cli('collect', ['bundle', '--local', '--json', '--out', out], env);
    expect(r.exitCode, r.stderr).toBe(0);
    const v = await cli('collect', ['verify', JSON.parse(r.stdout).file, '--json']);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, kept: ['ipv4'] });
    const file = writeConfig('keep:\n  - hostname\n  - secret\n');
    const bad = await cli('collect', ['bundle', '--local', '--out', out], env);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(`${file}:3: keep: unknown category "secret"`);
  });
});
