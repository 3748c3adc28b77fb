import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCapture } from '../../../collectors/offline/load.js';
import { cli } from '../../cli-helpers.js';
import { fixture } from '../fixture-files.js';
import { type Member, SOFTNET, sosFiles, writeTar } from './craft-archive.js';

// A real sos report copies /proc/net/* through the links the kernel has:
// proc/net -> self/net, proc/self -> <pid>; and its top-level `hostname` is
// a link to sos_commands/host/hostname (add_cmd_output(root_symlink=…)).
// Links that stay inside the archive must still be followed.

const dir = mkdtempSync(join(tmpdir(), 'dropkit-soslinks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const top = 'sosreport-node1-2026-11-27-abcdef';
const members = (): Member[] => [
  { name: `${top}/`, type: 'directory' },
  ...sosFiles(top),
  { name: `${top}/proc/4242/net/softnet_stat`, data: fixture(SOFTNET) },
  {
    name: `${top}/proc/4242/net/dev`,
    data: fixture('proc_net_dev/debian11-laptop-lo-enp0s31f6-wlp3s0.txt'),
  },
  { name: `${top}/proc/self`, type: 'symlink', linkname: '4242' },
  { name: `${top}/proc/net`, type: 'symlink', linkname: 'self/net' },
  { name: `${top}/sos_commands/host/hostname`, data: 'ip-10-101-0-12\n' },
  { name: `${top}/hostname`, type: 'symlink', linkname: 'sos_commands/host/hostname' },
  // A loop, and a chain longer than the limit: never followed to the end.
  { name: `${top}/proc/softirqs`, type: 'symlink', linkname: 'softirqs' },
  { name: `${top}/proc/interrupts`, type: 'symlink', linkname: './interrupts2' },
  { name: `${top}/proc/interrupts2`, type: 'symlink', linkname: 'interrupts' },
];

describe('collect analyze: a sos report with links inside it', () => {
  it('follows proc/net -> self/net -> 4242/net and hostname -> sos_commands/host/hostname', async () => {
    const file = join(dir, `${top}.tar.xz.tar.gz`);
    await writeTar(file, members());
    const warnings: string[] = [];
    const c = await loadCapture(file, { warn: (l) => warnings.push(l) });
    const h = c.after[0]!;
    expect(h.host).toBe('ip-10-101-0-12');
    // softnet_stat and proc/net/dev were reached through the links.
    expect(h.softnet.map((s) => s.processed)).toEqual([0x47f2n, 0xdb31n]);
    expect(h.sources.some((s) => s.id === 'proc_net_dev' && s.ok)).toBe(true);
    expect(warnings.join('\n')).toMatch(/softirqs: a link to "softirqs" is one of more than 40/);
    expect(warnings.join('\n')).toMatch(/interrupts2?: a link to .* is one of more than 40/);

    const r = await cli('collect', ['analyze', file, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.hosts[0].name).toBe('ip-10-101-0-12');
    expect(j.hosts[0].softnet.map((s: { processed: number }) => s.processed)).toEqual([
      0x47f2, 0xdb31,
    ]);
  });

  it('the same report as a directory gives the same analysis', async () => {
    const root = join(dir, top);
    for (const m of members()) {
      const p = join(dir, m.name);
      mkdirSync(m.type === 'directory' ? p : dirname(p), { recursive: true });
      if (m.type === 'symlink') symlinkSync(m.linkname!, p);
      else if (m.type !== 'directory') writeFileSync(p, m.data ?? '');
    }
    const fromDir = await loadCapture(root, { warn: () => undefined });
    const fromTar = await loadCapture(join(dir, `${top}.tar.xz.tar.gz`), { warn: () => undefined });
    const view = (c: typeof fromDir) => {
      const { host, softnet, interfaces, sources } = c.after[0]!;
      return { host, softnet, interfaces, sources };
    };
    expect(view(fromDir)).toEqual(view(fromTar));
  });
});
