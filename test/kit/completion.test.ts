import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSshConfig } from '../../kit/ssh/config-parse.js';
import { hostAliases } from '../../kit/ssh/host-aliases.js';
import { PLATFORMS } from '../../repro/persist/types.js';

// Completion in a real bash: the generated script is sourced, COMP_WORDS set
// as bash sets them on <TAB>, and the function's COMPREPLY read back. The
// program is the built CLI; the ssh config is a private HOME's, never the
// user's.

const home = mkdtempSync(join(tmpdir(), 'dropkit-completion-'));
const dist = resolve('dist/bin');

beforeAll(() => {
  mkdirSync(join(home, '.ssh'));
  writeFileSync(
    join(home, '.ssh', 'config'),
    'Host bastion db-1.corp\n  User ops\nHost *.corp !db-2.corp\n  ProxyJump bastion\nHost vm?\n  Port 2222\n',
  );
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function complete(prog: 'repro' | 'collect', words: string[]): Promise<string[]> {
  const script = `
${prog}() { node ${dist}/${prog}.js "$@"; }
source <(${prog} completion bash)
COMP_WORDS=(${prog} ${words.map((w) => `'${w}'`).join(' ')})
COMP_CWORD=${words.length}
_dropkit_${prog}
printf '%s\\n' "\${COMPREPLY[@]}"`;
  // No lab in this test: a lab name that is never up.
  const r = await execa('bash', ['-c', script], {
    env: { HOME: home, DROPKIT_LAB: 'nolab', PATH: process.env['PATH']! },
    cwd: home,
  });
  return r.stdout.split('\n').filter(Boolean);
}

describe('shell completion', () => {
  it('subcommands, from the command tree', async () => {
    expect(await complete('repro', [''])).toEqual([
      'doctor',
      'run',
      'compare',
      'mitigate',
      'restore',
      'profiles',
      'lab',
      'completion',
    ]);
    expect(await complete('repro', ['lab', ''])).toEqual(['up', 'down', 'status', 'impair']);
    expect(await complete('collect', ['ve'])).toEqual(['verify']);
  });

  it("a flag's fixed choices: repro mitigate --platform", async () => {
    expect(await complete('repro', ['mitigate', 'b.tar.gz', '--platform', ''])).toEqual([
      ...PLATFORMS,
    ]);
    expect(await complete('repro', ['mitigate', 'b.tar.gz', '--platform', 'net'])).toEqual([
      'networkd',
      'networkmanager',
    ]);
  });

  it("a subcommand's flags, and the global ones", async () => {
    const flags = await complete('repro', ['run', '--s']);
    expect(flags).toEqual(
      expect.arrayContaining([
        '--sample-interval',
        '--server-address',
        '--share-identity',
        '--ssh-config',
      ]),
    );
    expect(await complete('collect', ['bundle', '--no'])).toEqual([
      '--node',
      '--note',
      '--no-redact',
    ]);
  });

  it('host aliases from ssh config after --pair and --node, each of the pair', async () => {
    expect(await complete('repro', ['run', '--pair', ''])).toEqual(['bastion', 'db-1.corp']);
    expect(await complete('repro', ['run', '--json', '--pair', 'bastion', 'd'])).toEqual([
      'db-1.corp',
    ]);
    expect(await complete('collect', ['bundle', '--node', 'b'])).toEqual(['bastion']);
  });

  it('profile and mitigation names', async () => {
    expect(await complete('repro', ['run', '--profile', 'micro'])).toEqual(['microburst']);
    expect(await complete('repro', ['compare', '--variant', 'b'])).toEqual(
      expect.arrayContaining(['baseline', 'backlog']),
    );
  });

  it('zsh gets the same function through bashcompinit', async () => {
    const r = await execa('node', [`${dist}/repro.js`, 'completion', 'zsh']);
    expect(r.stdout.split('\n').slice(0, 4).join('\n')).toMatch(
      /^#compdef repro\n.*\n.*\nautoload -U \+X bashcompinit && bashcompinit$/,
    );
    expect(r.stdout).toContain('complete -o default -F _dropkit_repro repro');
    const bad = await execa('node', [`${dist}/repro.js`, 'completion', 'fish'], { reject: false });
    expect(bad.exitCode).toBe(2);
  });
});

describe('hostAliases', () => {
  it('literal Host patterns only: no wildcard, no negation, each once', () => {
    const c = parseSshConfig('Host a b\nHost *.x !c a\nMatch host d\nHost e?\nHost f\n', 'cfg');
    expect(hostAliases([c])).toEqual(['a', 'b', 'f']);
  });
});
