import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseFrames, parseStderrFrames, stderrKey } from '../../../collectors/snapshot/frames.js';
import {
  buildSnapshotScript,
  newBoundary,
  snapshotBody,
} from '../../../collectors/snapshot/script.js';
import { type CollectorSpec, timeoutOf } from '../../../collectors/spec.js';

const spec = (
  id: string,
  source: CollectorSpec['source'],
  extra: Partial<CollectorSpec> = {},
): CollectorSpec => ({
  id,
  description: id,
  source,
  scope: 'global',
  rawPath: `t/${id}`,
  ...extra,
});

// Under bash the per-interface specs run in the second lane, with as many of
// the last host-wide ones as keep the lanes even (lanes.ts: it depends on the
// machine's interfaces), so both lanes' watchdogs and framing are exercised:
// slowsh times out in one lane or the other, slowif (on lo) in the second.
// The slow sleeps are unique to this run: the leftover check looks
// machine-wide, and another run of this file may be sleeping beside it.
const SLEEP = `4.${String(Math.floor(Math.random() * 9000) + 1000)}`;
const SPECS: CollectorSpec[] = [
  spec('noeol', { kind: 'shell', sh: "printf 'abc'; echo oops >&2; exit 3" }),
  spec('missing', { kind: 'command', argv: ['dropkit-no-such-tool', '-S'] }),
  spec('slow', { kind: 'command', argv: ['sleep', '5'] }, { timeoutSec: 1 }),
  spec('procfile', { kind: 'file', path: '/proc/sys/kernel/ostype' }),
  spec('nofile', { kind: 'file', path: '/proc/dropkit-no-such-file' }),
  // A fake marker in the output must not end the section.
  spec('liar', { kind: 'shell', sh: "echo 'DKB-0000 end liar - rc=0 ns=1'; echo after" }),
  spec('binary', { kind: 'shell', sh: "printf '\\000\\377\\n\\n'" }),
  // A fragment's children die with it (timeout(1) and the bash watchdog both
  // signal the section's process group).
  spec('slowsh', { kind: 'shell', sh: `sleep ${SLEEP}; echo late` }, { timeoutSec: 1 }),
  spec('mtu', { kind: 'file', path: '/sys/class/net/{iface}/mtu' }, { scope: 'per-interface' }),
  spec(
    'slowif',
    {
      kind: 'command',
      argv: ['sh', '-c', `[ "$0" = lo ] && exec sleep ${SLEEP}; exit 0`, '{iface}'],
    },
    { scope: 'per-interface', timeoutSec: 1 },
  ),
  // Per-interface stderr comes back to its own section.
  spec(
    'iferr',
    { kind: 'command', argv: ['sh', '-c', 'echo "err $0" >&2; exit 2', '{iface}'] },
    { scope: 'per-interface' },
  ),
];

// The POSIX script under dash and busybox, and the full script (which
// re-executes itself under bash 5 when the host has it) under sh.
const SHELLS: { name: string; argv: string[]; bash: boolean }[] = [
  { name: 'dash', argv: ['dash', '-s'], bash: false },
  { name: 'busybox sh', argv: ['busybox', 'sh', '-s'], bash: false },
  { name: 'bash (from sh)', argv: ['sh', '-s'], bash: true },
  // No writable /dev/shm: bash keeps one lane.
  {
    name: 'bash with a read-only /dev/shm',
    argv: ['unshare', '--mount', 'sh', '-c', 'mount -t tmpfs -o ro tmpfs /dev/shm && exec sh -s'],
    bash: true,
  },
  // A symlink planted where the lane's directory would go (bash is PID 1 in
  // its own PID namespace, so the name is known): it must not be followed.
  {
    name: 'bash with a symlink planted in /dev/shm',
    argv: [
      'unshare',
      '--mount',
      '--pid',
      '--fork',
      'sh',
      '-c',
      'mount -t tmpfs tmpfs /dev/shm && mkdir /dev/shm/x && ln -s /dev/shm/x /dev/shm/.dropkit-0-1 && exec sh -s',
    ],
    bash: true,
  },
  // A full /dev/shm: the second lane's output is lost, so it runs again.
  {
    name: 'bash with a full /dev/shm',
    argv: [
      'unshare',
      '--mount',
      'sh',
      '-c',
      'mount -t tmpfs -o size=4k tmpfs /dev/shm && head -c 4096 /dev/zero >/dev/shm/fill; exec sh -s',
    ],
    bash: true,
  },
];

const laneDirs = () => readdirSync('/dev/shm').filter((f) => f.startsWith('.dropkit-'));

for (const shell of SHELLS) {
  describe(`snapshot script under ${shell.name}`, () => {
    it('frames every section with exit code, timing, and exact bytes', async () => {
      const b = newBoundary();
      const r = await execa(shell.argv[0]!, shell.argv.slice(1), {
        input: buildSnapshotScript(SPECS, b, { bash: shell.bash }),
        encoding: 'buffer',
        // The transports keep every byte; so must the test.
        stripFinalNewline: false,
        timeout: 30_000,
      });
      const { sections, warnings } = parseFrames(Buffer.from(r.stdout), b);
      // stderr travels on its own stream, framed the same way.
      const errs = parseStderrFrames(Buffer.from(r.stderr).toString(), b);
      for (const s of sections) s.stderr = errs.get(stderrKey(s.id, s.iface)) ?? '';
      expect(warnings).toEqual([]);
      const by = (id: string) => sections.find((s) => s.id === id)!;
      expect([...by('binary').stdout]).toEqual([0, 255, 10, 10]);
      expect(by('binary').exitCode).toBe(0);
      expect(by('noeol').stdout.toString()).toBe('abc');
      expect(by('noeol').exitCode).toBe(3);
      expect(by('noeol').stderr).toBe('oops');
      expect(by('missing').exitCode).toBe(127);
      expect(by('slow').exitCode).toBe(124);
      expect(by('slow').durationMs).toBeGreaterThan(900);
      expect(by('slowsh').exitCode).toBe(124);
      expect(by('slowsh').stdout.toString()).toBe('');
      // The killed sleeps went with their sections' process groups.
      const left = await execa('pgrep', ['-xf', `sleep ${SLEEP.replace('.', '[.]')}`], {
        reject: false,
      });
      expect(left.stdout).toBe('');
      expect(by('procfile').stdout.toString()).toBe(
        readFileSync('/proc/sys/kernel/ostype', 'utf8'),
      );
      expect(by('nofile').exitCode).not.toBe(0);
      expect(by('nofile').stderr).toMatch(/No such file or directory/);
      expect(by('liar').stdout.toString()).toBe('DKB-0000 end liar - rc=0 ns=1\nafter\n');
      // Interfaces are expanded on the host: one section per /sys/class/net entry.
      const ifaces = sections.filter((s) => s.id === 'mtu');
      expect(ifaces.map((s) => s.iface)).toContain('lo');
      const loErr = sections.find((s) => s.id === 'iferr' && s.iface === 'lo')!;
      expect(loErr.exitCode).toBe(2);
      expect(loErr.stderr).toBe('err lo');
      expect(sections.filter((s) => s.id === 'iferr')).toHaveLength(ifaces.length);
      const slowLo = sections.find((s) => s.id === 'slowif' && s.iface === 'lo')!;
      expect(slowLo.exitCode).toBe(124);
      expect(sections.filter((s) => s.id === 'slowif' && s.exitCode === 0)).toHaveLength(
        ifaces.length - 1,
      );
      expect(laneDirs()).toEqual([]);
      expect(ifaces.find((s) => s.iface === 'lo')?.stdout.toString()).toBe('65536\n');
    });
  });
}

describe('frame parsing', () => {
  it('keeps a truncated last section and says so', () => {
    const b = 'DKB-x';
    const out = Buffer.from(
      `${b} begin a - 1700000000000000000\nfull\n${b} end a - rc=0 ns=1700000000001000000\n${b} begin b - 1700000000002000000\npart`,
    );
    const { sections, warnings } = parseFrames(out, b);
    expect(sections[0]).toMatchObject({ id: 'a', exitCode: 0, truncated: false, durationMs: 1 });
    expect(sections[1]).toMatchObject({ id: 'b', exitCode: null, truncated: true });
    expect(sections[1]!.stdout.toString()).toBe('part');
    expect(warnings[0]).toMatch(/no end marker/);
  });

  it('reads stderr frames, the last one even without its final newline', () => {
    const b = 'DKB-z';
    const errs = parseStderrFrames(
      `${b} begin a -\nboom\n\n${b} end a -\n${b} begin b eth0\nbad eth0\n\n${b} end b eth0`,
      b,
    );
    expect(errs.get('a')).toBe('boom');
    expect(errs.get('b\u0000eth0')).toBe('bad eth0');
  });

  it('takes stderr from the stderr stream only: text between stdout frames is skipped', () => {
    const b = 'DKB-w';
    const out = Buffer.from(
      `${b} begin a - 1700000000000000000\nx\n${b} end a - rc=1 ns=1700000000001000000\n` +
        `${b} stderr a -\nboom\n${b} stderr-end\n` +
        `${b} begin b eth0 1700000000002000000\ny\n${b} end b eth0 rc=0 ns=1700000000003000000\n`,
    );
    const { sections, warnings } = parseFrames(out, b);
    expect(warnings).toEqual([]);
    expect(sections.map((s) => [s.id, s.iface, s.stdout.toString(), s.stderr, s.exitCode])).toEqual(
      [
        ['a', undefined, 'x', '', 1],
        ['b', 'eth0', 'y', '', 0],
      ],
    );
  });

  it('never throws on garbage', () => {
    expect(parseFrames(Buffer.from('garbage\n\0\xff'), 'DKB-y').sections).toEqual([]);
    expect(parseFrames(Buffer.alloc(0), 'DKB-y').warnings).toEqual([]);
  });
});

describe('the script body', () => {
  it('bounds each command by its timeout, 5 s by default, and file reads not at all', () => {
    const cmd = spec('cmd', { kind: 'command', argv: ['true'] });
    const quick = spec('quick', { kind: 'command', argv: ['true'] }, { timeoutSec: 2 });
    expect([timeoutOf(cmd), timeoutOf(quick)]).toEqual([5, 2]);
    const file = spec('file', { kind: 'file', path: '/proc/uptime' });
    expect(snapshotBody([cmd, quick, file]).split('\n')).toEqual([
      'sec cmd - 5 0 c true',
      'sec quick - 2 0 c true',
      'sec file - 0 0 f /proc/uptime',
      'join',
      'exit 0',
      '',
    ]);
  });
});

// The second lane's output is copied into the main one at the end: by the
// shell itself (mapfile) when it is small and holds no NUL, by cat otherwise.
// A cat placed first in PATH records each time it runs, then does its work.
describe('copying the second lane out', () => {
  const perIface = (id: string, sh: string) =>
    spec(id, { kind: 'shell', sh }, { scope: 'per-interface' });

  async function run(specs: CollectorSpec[]) {
    const dir = mkdtempSync(join(tmpdir(), 'dropkit-cat-'));
    const log = join(dir, 'log');
    writeFileSync(join(dir, 'cat'), `#!/bin/sh\necho run >>'${log}'\nexec /bin/cat "$@"\n`, {
      mode: 0o755,
    });
    try {
      const b = newBoundary();
      const r = await execa('sh', ['-s'], {
        input: buildSnapshotScript(specs, b),
        encoding: 'buffer',
        stripFinalNewline: false,
        env: { PATH: `${dir}:${process.env['PATH']}` },
      });
      const cats = existsSync(log) ? readFileSync(log, 'utf8').split('\n').length - 1 : 0;
      return { sections: parseFrames(Buffer.from(r.stdout), b).sections, cats };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('copies a small output without running cat, byte for byte', async () => {
    const { sections, cats } = await run([
      spec('host', { kind: 'file', path: '/proc/sys/kernel/ostype' }),
      perIface('noeol', "printf 'a\\tb\\r'"),
    ]);
    const lo = sections.find((s) => s.id === 'noeol' && s.iface === 'lo')!;
    expect(lo.stdout.toString()).toBe('a\tb\r');
    expect(lo.exitCode).toBe(0);
    expect(cats).toBe(0);
  });

  it('falls back to cat for a NUL and for a large output, and keeps every byte', async () => {
    const nul = await run([perIface('nul', "printf 'x\\000y\\377\\n'")]);
    const lo = nul.sections.find((s) => s.id === 'nul' && s.iface === 'lo')!;
    expect([...lo.stdout]).toEqual([0x78, 0, 0x79, 0xff, 0x0a]);
    expect(nul.cats).toBe(1);
    const big = await run([perIface('big', "head -c 70000 /dev/zero | tr '\\000' x")]);
    const all = big.sections.filter((s) => s.id === 'big');
    expect(all.length).toBeGreaterThan(0);
    for (const s of all) expect(s.stdout.toString()).toBe('x'.repeat(70000));
    expect(big.cats).toBe(1);
  });
});
