import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCapture } from '../../../collectors/offline/load.js';
import { cli } from '../../cli-helpers.js';
import { fixture } from '../fixture-files.js';
import { SOFTNET, sosFiles, writeTar } from './craft-archive.js';

// `collect analyze` on sos tarballs built to attack the machine reading them:
// nothing in them may reach a file, device or FIFO outside the archive.

const dir = mkdtempSync(join(tmpdir(), 'dropkit-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Set in the CLI's environment: /proc/self/environ would hold it.
const SECRET = `dropkit-env-canary-${process.pid}`;

const analyzeTemps = () => readdirSync(tmpdir()).filter((n) => n.startsWith('dropkit-analyze-'));

describe('collect analyze: a hostile sos tarball', () => {
  const top = 'sosreport-evil';
  const file = join(dir, 'evil.tar.gz');
  const build = () =>
    writeTar(file, [
      ...sosFiles(top),
      { name: `${top}/proc/net/softnet_stat`, data: fixture(SOFTNET) },
      // The host name would be this process's environment.
      { name: `${top}/hostname`, type: 'symlink', linkname: '/proc/self/environ' },
      // A file outside the archive, by a relative link that climbs out.
      { name: `${top}/etc/os-release`, type: 'symlink', linkname: '../../../../../etc/passwd' },
      // A FIFO would block the reader forever, a device read forever.
      { name: `${top}/sos_commands/general/hostname`, type: 'fifo' },
      { name: `${top}/proc/net/snmp`, type: 'character-device', devmajor: 1, devminor: 5 },
      // A hard link to a file of the machine that extracts it.
      { name: `${top}/etc/hosts`, type: 'link', linkname: '/etc/passwd' },
      // A raw/ that is the whole filesystem, and an endless file.
      { name: `${top}/raw`, type: 'symlink', linkname: '/' },
      { name: `${top}/proc/uptime`, type: 'symlink', linkname: '/dev/zero' },
    ]);

  it('reads only the archive: no environment, no /etc/passwd, no device, no hang', async () => {
    await build();
    const before = analyzeTemps();
    const r = await cli('collect', ['analyze', file, '--json'], { DROPKIT_CANARY: SECRET });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(SECRET);
      expect(out).not.toContain('root:x:0:0');
    }
    const h = JSON.parse(r.stdout).hosts[0];
    // No hostname could be read: the sos default, not the environment.
    expect(h.name).toBe('sos-host');
    expect(h.interfaces.map((i: { name: string }) => i.name)).toContain('eth0');
    expect(r.stderr).toMatch(
      /hostname: a link to "\/proc\/self\/environ" is absolute, outside the archive: ignored/,
    );
    expect(r.stderr).toMatch(
      /etc\/os-release: a link to "\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" leads out of the archive: ignored/,
    );
    expect(r.stderr).toMatch(/ignored 1 fifo entries/);
    expect(r.stderr).toMatch(/ignored 1 character-device entries/);
    expect(r.stderr).toMatch(/ignored 1 hard links to a file that is not in the archive/);
    // And nothing was extracted anywhere.
    expect(analyzeTemps()).toEqual(before);
  });

  it('in text too, the environment never appears', async () => {
    const r = await cli('collect', ['analyze', file], { DROPKIT_CANARY: SECRET });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('the same archive through the loader: warnings, no throw, no link followed', async () => {
    const warnings: string[] = [];
    const c = await loadCapture(file, { warn: (l) => warnings.push(l) });
    expect(c.after[0]?.host).toBe('sos-host');
    expect(warnings.join('\n')).toMatch(/raw: a link to "\/" is absolute/);
    expect(warnings.join('\n')).toMatch(/uptime: a link to "\/dev\/zero" is absolute/);
  });

  it('names the entries kept as they are: a name with a terminal escape is quoted', async () => {
    const esc = join(dir, 'esc.tar.gz');
    await writeTar(esc, [
      ...sosFiles(top),
      { name: `${top}/hostname`, type: 'symlink', linkname: '/x\u001b]52;c;AAAA\u0007' },
    ]);
    const warnings: string[] = [];
    await loadCapture(esc, { warn: (l) => warnings.push(l) });
    expect(warnings.join('\n')).not.toMatch(/\u001b|\u0007/);
    expect(warnings.join('\n')).toContain('\\u001b]52;c;AAAA\\u0007');
  });
});

describe('collect analyze: archive formats', () => {
  it('reads an uncompressed tar, and names as `tar -C dir -cf x .` writes them', async () => {
    const file = join(dir, 'plain.tar');
    await writeTar(
      file,
      [
        { name: './', type: 'directory' },
        ...sosFiles('.'),
        { name: './hostname', data: 'plain-host\n' },
      ],
      false,
    );
    const warnings: string[] = [];
    const c = await loadCapture(file, { warn: (l) => warnings.push(l) });
    expect(c.after[0]?.host).toBe('plain-host');
    expect(warnings).toEqual([]);
  });

  it('refuses bzip2, a cut xz stream and a file that is no archive, with clear errors', async () => {
    const xz = join(dir, 'sos.tar.xz');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(xz, Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0, 0]));
    await expect(loadCapture(xz)).rejects.toThrow(
      /not a readable xz stream \(unexpected end of file\)/,
    );
    const bz = join(dir, 'sos.tar.bz2');
    writeFileSync(bz, 'BZh91AY&SY');
    await expect(loadCapture(bz)).rejects.toThrow(/bzip2-compressed archives are not read/);
    const junk = join(dir, 'junk.tar.gz');
    writeFileSync(junk, 'not a tarball at all, just text '.repeat(40));
    await expect(loadCapture(junk)).rejects.toThrow(/not a tar archive, or a damaged one/);
    const gz = join(dir, 'cut.tar.gz');
    writeFileSync(gz, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
    await expect(loadCapture(gz)).rejects.toThrow(/not a readable gzip stream|truncated/);
  });
});
