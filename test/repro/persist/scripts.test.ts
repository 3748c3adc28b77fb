import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { userDataShell } from '../../../repro/persist/eks.js';
import { generate } from '../../../repro/persist/generate.js';
import { PLATFORMS } from '../../../repro/persist/types.js';
import { ENA, file, GVE, SEED } from './plans.js';

// `sh -n`: the scripts at least parse under the system's POSIX sh (dash here).
function shSyntaxOk(script: string): void {
  expect(() =>
    execFileSync('sh', ['-n'], { input: script, stdio: ['pipe', 'pipe', 'pipe'] }),
  ).not.toThrow();
}

describe('generated shell passes sh -n', () => {
  for (const platform of PLATFORMS)
    it(platform, () => {
      let n = 0;
      for (const plan of [SEED, ENA, GVE]) {
        const out = generate(platform, plan);
        for (const f of out.files) {
          if (f.path.endsWith('.sh')) {
            expect(f.content.startsWith('#!/bin/sh\n')).toBe(true);
            shSyntaxOk(f.content);
            n++;
          }
          if (f.path.endsWith('daemonset.yaml')) {
            shSyntaxOk(parse(f.content).spec.template.spec.containers[0].command.at(-1));
            n++;
          }
          if (f.path.endsWith('.mime')) {
            shSyntaxOk(userDataShell(f.content));
            n++;
          }
        }
      }
      expect(n).toBeGreaterThan(0);
    });

  it('catches a broken script (the check is real)', () => {
    expect(() => execFileSync('sh', ['-n'], { input: 'if then fi\n', stdio: 'pipe' })).toThrow();
  });

  it('rollback.sh removes a file only while it carries the mark', () => {
    const sh = file(generate('linux', SEED), 'rollback.sh');
    // Its own remove_ours(), run on scratch files: the marked one goes, the
    // rewritten one stays.
    const fn = sh.slice(sh.indexOf("MARK='"), sh.indexOf('}\n') + 2);
    const dir = mkdtempSync(join(tmpdir(), 'dropkit-persist-'));
    try {
      const ours = join(dir, 'ours.conf');
      const theirs = join(dir, 'theirs.conf');
      writeFileSync(ours, '# Written by dropkit: x\nnet.core.somaxconn = 1\n');
      writeFileSync(theirs, '# mine now\n# Written by dropkit: x\n');
      execFileSync(
        'sh',
        [
          '-c',
          `${fn}\nremove_ours "$1"; remove_ours "$2"; remove_ours "$3"`,
          'sh',
          ours,
          theirs,
          join(dir, 'gone'),
        ],
        { stdio: 'pipe' },
      );
      expect(existsSync(ours)).toBe(false);
      expect(existsSync(theirs)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('generate', () => {
  it.each(PLATFORMS)('%s: an empty plan gives no files and a problem, without throwing', (p) => {
    const out = generate(p, { ring: [], sysctls: [] });
    expect(out.files).toEqual([]);
    expect(out.problems.join(' ')).toContain('no usable fix');
  });

  it.each(PLATFORMS)('%s: every output has a README naming each file', (p) => {
    const out = generate(p, SEED);
    const md = file(out, 'README.md');
    for (const f of out.files) if (f.path !== 'README.md') expect(md).toContain(f.path);
    expect(out.files.every((f) => f.what.length > 0 && f.content.length > 0)).toBe(true);
  });

  it('refuses bundle text that could break out of a rule or a script', () => {
    const out = generate('linux', {
      ring: [
        { host: 'h', iface: 'eth0"; reboot; "', driver: 'ena', azureVf: false, current: 1, max: 2 },
        { host: 'h', iface: 'eth1', driver: 'ena$(id)', azureVf: false, current: 1, max: 2 },
        { host: 'h', iface: 'eth2', azureVf: false, current: 1, max: 2 },
      ],
      sysctls: [{ name: 'net.core.somaxconn', target: 16384, because: 'line\nkernel.panic = 1' }],
    });
    expect(out.problems).toHaveLength(3);
    const conf = file(out, 'etc/sysctl.d/90-dropkit.conf');
    expect(conf).not.toMatch(/^kernel\.panic/m);
    expect(out.files.map((f) => f.path)).not.toContain('etc/udev/rules.d/90-dropkit-ring.rules');
  });

  it('groups NICs of one driver into one rule at the smallest target', () => {
    const out = generate('linux', {
      ring: [
        {
          host: 'a',
          iface: 'enP1s1',
          driver: 'mlx5_core',
          azureVf: true,
          current: 1024,
          max: 8192,
        },
        {
          host: 'b',
          iface: 'enP2s1',
          driver: 'mlx5_core',
          azureVf: true,
          current: 1024,
          max: 4096,
        },
      ],
      sysctls: [],
    });
    const rules = file(out, 'etc/udev/rules.d/90-dropkit-ring.rules')
      .split('\n')
      .filter((l) => l.startsWith('ACTION'));
    expect(rules).toEqual([
      'ACTION=="add", SUBSYSTEM=="net", DRIVERS=="hv_pci", ENV{ID_NET_DRIVER}=="mlx5_core", RUN+="/sbin/ethtool -G $name rx 4096"',
    ]);
    expect(out.notes.join(' ')).toContain('smallest, 4096');
  });
});
