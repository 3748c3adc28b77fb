import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCommandLine, tiedScriptInput } from '../../../kit/transport/command-line.js';
import { guardScript } from '../../../repro/mitigations/host-io.js';
import {
  applyScript,
  mismatches,
  parseReadback,
  restoreScript,
} from '../../../repro/mitigations/host-script.js';
import type { SettingValue } from '../../../repro/mitigations/settings.js';
import { fixture } from '../../collectors/fixture-files.js';

// The generated scripts, run for real with this machine's sh (dash on
// Debian) against files in a temp dir: the generator takes any path, so
// nothing under /proc or /sys is touched. nsenter and ethtool are stand-ins
// on PATH that log their arguments, so no namespace is entered and no NIC is
// changed.

let dir: string;
let bin: string;
let log: string;
let rings: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dropkit-host-script-'));
  bin = join(dir, 'bin');
  rings = join(dir, 'rings');
  log = join(dir, 'calls.log');
  mkdirSync(bin);
  mkdirSync(rings);
  writeFileSync(log, '');
  // nsenter -t PID -n CMD…: logs, then runs CMD here.
  writeFileSync(
    join(bin, 'nsenter'),
    '#!/bin/sh\nprintf "nsenter %s\\n" "$*" >> "$FAKE_LOG"\nshift 3\nexec "$@"\n',
  );
  // ethtool -g IFACE prints $FAKE_RINGS/IFACE (a real capture); -G IFACE rx N
  // rewrites its current RX, refusing more than the ENA capture's maximum.
  writeFileSync(
    join(bin, 'ethtool'),
    `#!/bin/sh
printf 'ethtool %s\\n' "$*" >> "$FAKE_LOG"
f="$FAKE_RINGS/$2"
[ -f "$f" ] || { echo 'netlink error: Operation not supported' >&2; exit 1; }
case "$1" in
  -g) cat "$f" ;;
  -G) [ "$3" = rx ] && [ "$4" -le 16384 ] || { echo 'netlink error: Invalid argument' >&2; exit 1; }
      awk -v n="$4" '/^Current hardware settings/ { c = 1 } c && !d && /^RX:/ { sub(/[0-9]+$/, n); d = 1 } { print }' "$f" > "$f.new" && mv "$f.new" "$f" ;;
esac
`,
  );
  chmodSync(join(bin, 'nsenter'), 0o755);
  chmodSync(join(bin, 'ethtool'), 0o755);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function sh(script: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-s'], {
    input: script,
    encoding: 'utf8',
    cwd: dir,
    timeout: 10_000,
    env: {
      ...process.env,
      PATH: `${bin}:${process.env['PATH']}`,
      FAKE_LOG: log,
      FAKE_RINGS: rings,
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  // An old mtime: a write shows as a new one.
  utimesSync(p, new Date('2001-01-01T00:00:00Z'), new Date('2001-01-01T00:00:00Z'));
  return p;
}

function written(p: string): boolean {
  return statSync(p).mtime.getUTCFullYear() !== 2001;
}

function setting(label: string, path: string, value: string, ns?: 1 | 2): SettingValue {
  return { label, target: { kind: 'file', path, ...(ns ? { ns } : {}) }, value };
}

function calls(): string[] {
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

const MY_NETNS = readlinkSync('/proc/self/ns/net');

describe('applyScript under sh', () => {
  it('writes only the values that differ, reads each back, exits 0 when all match', () => {
    const backlog = file('netdev_max_backlog', '10\n');
    const budget = file('netdev_budget', '300\n');
    const settings = [
      setting('net.core.netdev_max_backlog', backlog, '32768'),
      setting('net.core.netdev_budget', budget, '300'),
    ];
    const r = sh(applyScript(settings));
    expect(r).toEqual({
      code: 0,
      stdout: 'net.core.netdev_max_backlog\t32768\nnet.core.netdev_budget\t300\n',
      stderr: '',
    });
    expect(readFileSync(backlog, 'utf8')).toBe('32768\n');
    expect([written(backlog), written(budget)]).toEqual([true, false]);
    expect(mismatches(settings, parseReadback(r.stdout))).toEqual([]);
  });

  it('exits 1 when a file cannot be written, still setting the others, and the readback says so', () => {
    const missing = join(dir, 'no-such-dir', 'rmem_max');
    const ok = file('rmem_default', '212992\n');
    const settings = [
      setting('net.core.rmem_max', missing, '16777216'),
      setting('net.core.rmem_default', ok, '16777216'),
    ];
    const r = sh(applyScript(settings));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('net.core.rmem_max\t\nnet.core.rmem_default\t16777216\n');
    expect(readFileSync(ok, 'utf8')).toBe('16777216\n');
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
    expect(mismatches(settings, parseReadback(r.stdout))).toEqual([
      'net.core.rmem_max is unreadable, not 16777216',
    ]);
  });

  it('exits 1 when a value reads back different from the one written', () => {
    // /dev/null takes the write and reads back nothing, like a sysctl that refuses a value.
    const r = sh(applyScript([setting('net.core.netdev_budget', '/dev/null', '600')]));
    expect([r.code, r.stdout]).toEqual([1, 'net.core.netdev_budget\t\n']);
  });

  it('reaches a file through nsenter -t NS -n when the setting has a namespace', () => {
    const backlog = file('netdev_max_backlog', '10\n');
    const r = sh(applyScript([setting('net.core.netdev_max_backlog', backlog, '32768', 2)]));
    expect([r.code, r.stdout]).toEqual([0, 'net.core.netdev_max_backlog\t32768\n']);
    expect(readFileSync(backlog, 'utf8')).toBe('32768\n');
    // Read, written through a shell in that namespace, read back.
    expect(calls()).toEqual([
      `nsenter -t 2 -n cat ${backlog}`,
      `nsenter -t 2 -n sh -c printf "%s\\n" "$2" > "$1" sh ${backlog} 32768`,
      `nsenter -t 2 -n cat ${backlog}`,
    ]);
  });

  it('resizes a ring only when it differs (ethtool -G on an unchanged ring fails), and reads it back', () => {
    writeFileSync(join(rings, 'ens5'), fixture('ethtool_g/ena-aws-ens5-tabs-na.txt'));
    const ring = (value: string): SettingValue => ({
      label: 'ens5 rx ring',
      target: { kind: 'ring', iface: 'ens5' },
      value,
    });
    const same = sh(applyScript([ring('1024')]));
    expect([same.code, same.stdout]).toEqual([0, 'ens5 rx ring\t1024\n']);
    expect(calls()).toEqual(['ethtool -g ens5', 'ethtool -g ens5']);

    writeFileSync(log, '');
    const up = sh(applyScript([ring('16384')]));
    expect([up.code, up.stdout]).toEqual([0, 'ens5 rx ring\t16384\n']);
    expect(calls()).toEqual(['ethtool -g ens5', 'ethtool -G ens5 rx 16384', 'ethtool -g ens5']);
    // The preset maximum is untouched; only the current RX moved.
    expect(readFileSync(join(rings, 'ens5'), 'utf8')).toBe(
      fixture('ethtool_g/ena-aws-ens5-tabs-na.txt').replace(
        /(Current hardware settings:\nRX:\t\t)1024/,
        '$116384',
      ),
    );

    const refused = sh(applyScript([ring('20000')]));
    expect([refused.code, refused.stdout]).toEqual([1, 'ens5 rx ring\t16384\n']);
    const noRing = sh(applyScript([{ ...ring('512'), target: { kind: 'ring', iface: 'eth0' } }]));
    expect([noRing.code, noRing.stdout]).toEqual([1, 'ens5 rx ring\t\n']);
  });

  it('quotes paths, values and labels: shell metacharacters stay text', () => {
    const odd = file("a b $(touch PWNED-path) 'q'", '1\n');
    const label = `eth0 $(touch PWNED-label) rx-0 rps_cpus; touch PWNED-semi 'x' "y" \`touch PWNED-bq\``;
    const value = '2;touch PWNED-value';
    const r = sh(applyScript([setting(label, odd, value)]));
    expect(r).toEqual({ code: 0, stdout: `${label}\t${value}\n`, stderr: '' });
    expect(readFileSync(odd, 'utf8')).toBe(`${value}\n`);
    expect(readdirSync(dir).filter((f) => f.startsWith('PWNED'))).toEqual([]);
    expect(parseReadback(r.stdout).get(label)).toBe(value);
  });
});

describe('restoreScript under sh', () => {
  const input = (netns: string, originals: SettingValue[]) => ({
    runId: '0123456789ab',
    netns,
    generator: 'dropkit 0.1.0',
    createdAt: '2026-12-07T06:00:00.000Z',
    originals,
  });

  it('refuses to run in another network namespace: exit 3, nothing written', () => {
    const backlog = file('netdev_max_backlog', '32768\n');
    const other = MY_NETNS === 'net:[4026531840]' ? 'net:[4026532241]' : 'net:[4026531840]';
    const r = sh(
      restoreScript(input(other, [setting('net.core.netdev_max_backlog', backlog, '10')])),
    );
    expect(r).toEqual({
      code: 3,
      stdout: '',
      stderr: 'not the network namespace this script was written for\n',
    });
    expect(readFileSync(backlog, 'utf8')).toBe('32768\n');
    expect(written(backlog)).toBe(false);
  });

  it('restores in its own network namespace, printing each value read back', () => {
    const backlog = file('netdev_max_backlog', '32768\n');
    const rps = file('rps_cpus', '3\n');
    const unchanged = file('rmem_max', '4194304\n');
    const script = restoreScript(
      input(MY_NETNS, [
        setting('net.core.netdev_max_backlog', backlog, '10'),
        setting('eth0 rx-0 rps_cpus', rps, '2'),
        setting('net.core.rmem_max', unchanged, '4194304'),
      ]),
    );
    expect(script.split('\n').slice(0, 2)).toEqual([
      '#!/bin/sh',
      '# dropkit 0.1.0, run 0123456789ab, 2026-12-07T06:00:00.000Z: restores the settings that',
    ]);
    const r = sh(script);
    expect(r).toEqual({
      code: 0,
      stdout:
        'net.core.netdev_max_backlog\t10\neth0 rx-0 rps_cpus\t2\nnet.core.rmem_max\t4194304\n',
      stderr: '',
    });
    expect([backlog, rps, unchanged].map((p) => readFileSync(p, 'utf8'))).toEqual([
      '10\n',
      '2\n',
      '4194304\n',
    ]);
    expect(written(unchanged)).toBe(false);
  });

  it('exits 1 when a value cannot be put back', () => {
    const r = sh(
      restoreScript(input(MY_NETNS, [setting('net.core.rmem_max', join(dir, 'gone', 'x'), '1')])),
    );
    expect([r.code, r.stdout]).toEqual([1, 'net.core.rmem_max\t\n']);
  });
});

describe('parseReadback and mismatches', () => {
  it('reads label<TAB>value lines, labels with spaces included', () => {
    const m = parseReadback('eth0 rx ring\t4096\nnet.core.rmem_max\t 212992 \nnoise\n\tno label\n');
    expect([...m]).toEqual([
      ['eth0 rx ring', '4096'],
      ['net.core.rmem_max', '212992'],
    ]);
  });

  it('names each setting that is not what was wanted', () => {
    const wanted = [
      setting('a', '/x/a', '1'),
      setting('b', '/x/b', '2'),
      setting('c', '/x/c', '3'),
      setting('d', '/x/d', '4'),
    ];
    const got = new Map([
      ['a', '1'],
      ['b', '20'],
      ['c', ''],
    ]);
    expect(mismatches(wanted, got)).toEqual([
      'b is 20, not 2',
      'c is unreadable, not 3',
      'd is unreadable, not 4',
    ]);
    expect(
      mismatches([setting('m', '/x', '3')], new Map([['m', '00000000,00000003']]), (a, b) =>
        a.endsWith(b),
      ),
    ).toEqual([]);
    // What a host sent is cut short in the message.
    expect(mismatches([setting('a', '/x', '1')], new Map([['a', 'x'.repeat(500)]]))[0]).toBe(
      `a is ${'x'.repeat(64)}, not 1`,
    );
  });
});

// The host's guard: tied to the connection, it restores when stopped.

function procsWithEnv(tag: string): Array<{ pid: number; cmdline: string }> {
  const out: Array<{ pid: number; cmdline: string }> = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // A zombie's environ reads empty: only live processes are found.
      const env = readFileSync(`/proc/${d}/environ`, 'latin1');
      if (!env.split('\0').includes(`DROPKIT_TEST_GUARD=${tag}`)) continue;
      const cmdline = readFileSync(`/proc/${d}/cmdline`, 'latin1').split('\0').join(' ').trim();
      out.push({ pid: Number(d), cmdline });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return out;
}

function guardSleeps(tag: string): number[] {
  return procsWithEnv(tag)
    .filter((p) => p.cmdline === 'sleep 2147483647')
    .map((p) => p.pid);
}

async function until<T>(what: string, f: () => T | undefined, ms = 5000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function exited(p: ChildProcess): Promise<number | null> {
  return new Promise((r) => {
    if (p.exitCode !== null) r(p.exitCode);
    else p.once('exit', (code) => r(code));
  });
}

describe('guardScript', () => {
  const started: ChildProcess[] = [];
  afterEach(() => {
    for (const p of started.splice(0)) if (p.exitCode === null && p.pid) p.kill('SIGKILL');
  });

  function spawnGuard(argv: string[], tag: string): ChildProcess {
    const p = spawn('sh', argv, {
      cwd: dir,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: {
        ...process.env,
        PATH: `${bin}:${process.env['PATH']}`,
        FAKE_LOG: log,
        FAKE_RINGS: rings,
        DROPKIT_TEST_GUARD: tag,
      },
    });
    started.push(p);
    return p;
  }

  function restoreFixture(name: string) {
    const backlog = file('netdev_max_backlog', '32768\n');
    const script = join(dir, `${name}.sh`);
    writeFileSync(
      script,
      restoreScript({
        runId: '0123456789ab',
        netns: MY_NETNS,
        generator: 'dropkit test',
        createdAt: '2026-12-07T06:00:00.000Z',
        originals: [setting('net.core.netdev_max_backlog', backlog, '10')],
      }),
      { mode: 0o700 },
    );
    return { backlog, script, logFile: join(dir, `${name}.log`) };
  }

  it('on SIGTERM: runs the restore script, logs next to it, removes it once it exits 0', async () => {
    const { backlog, script, logFile } = restoreFixture('0123456789ab-4026531840');
    const tag = `term-${process.pid}-${Date.now()}`;
    const g = spawnGuard(['-c', guardScript(script)], tag);
    const [sleep] = await until('the guard`s sleep', () => {
      const s = guardSleeps(tag);
      return s.length ? s : undefined;
    });
    g.kill('SIGTERM');
    expect(await exited(g)).toBe(0);
    expect(readFileSync(backlog, 'utf8')).toBe('10\n');
    expect(readFileSync(logFile, 'utf8')).toBe('net.core.netdev_max_backlog\t10\n');
    expect(existsSync(script)).toBe(false);
    // Its sleep went with it.
    await until('the sleep to end', () => (guardSleeps(tag).includes(sleep!) ? undefined : true));
    expect(procsWithEnv(tag)).toEqual([]);
  });

  it('keeps the script (and logs why) when the restore fails', async () => {
    const { script, logFile } = restoreFixture('0123456789ab-4026531841');
    // A restore that cannot verify: its setting's file is gone.
    writeFileSync(
      script,
      restoreScript({
        runId: '0123456789ab',
        netns: MY_NETNS,
        generator: 'dropkit test',
        createdAt: '2026-12-07T06:00:00.000Z',
        originals: [setting('net.core.rmem_max', join(dir, 'gone', 'rmem_max'), '212992')],
      }),
    );
    const tag = `fail-${process.pid}-${Date.now()}`;
    const g = spawnGuard(['-c', guardScript(script)], tag);
    await until('the guard`s sleep', () => (guardSleeps(tag).length ? true : undefined));
    g.kill('SIGTERM');
    expect(await exited(g)).toBe(0);
    expect(existsSync(script)).toBe(true);
    expect(readFileSync(logFile, 'utf8')).toBe('net.core.rmem_max\t\n');
  });

  it('with no script left (restored and removed): exits 0 at once, no log, no sleep left behind', async () => {
    const script = join(dir, '0123456789ab-4026531842.sh');
    const tag = `none-${process.pid}-${Date.now()}`;
    const g = spawnGuard(['-c', guardScript(script)], tag);
    await until('the guard`s sleep', () => (guardSleeps(tag).length ? true : undefined));
    const t0 = performance.now();
    g.kill('SIGTERM');
    expect(await exited(g)).toBe(0);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(existsSync(join(dir, '0123456789ab-4026531842.log'))).toBe(false);
    await until('the sleep to end', () => (guardSleeps(tag).length ? undefined : true), 1000);
  });

  it('tied as dropkit runs it: the end of stdin (a lost connection) restores the host', async () => {
    const { backlog, script, logFile } = restoreFixture('0123456789ab-4026531843');
    const tag = `tied-${process.pid}-${Date.now()}`;
    const line = buildCommandLine({
      script: guardScript(script),
      tied: true,
      root: false,
      loginIsRoot: true,
      tag: 'guardtest',
      runId: 'guardtest',
    });
    const g = spawnGuard(['-c', line], tag);
    g.stdin!.write(tiedScriptInput(guardScript(script)));
    await until('the guard`s sleep', () => (guardSleeps(tag).length ? true : undefined));
    expect(readFileSync(backlog, 'utf8')).toBe('32768\n');
    g.stdin!.end();
    expect(await exited(g)).toBe(0);
    expect(readFileSync(backlog, 'utf8')).toBe('10\n');
    expect(readFileSync(logFile, 'utf8')).toBe('net.core.netdev_max_backlog\t10\n');
    expect(existsSync(script)).toBe(false);
    await until('every guard process to end', () => (procsWithEnv(tag).length ? undefined : true));
  });

  it('quotes its paths', () => {
    const s = guardScript("/run/dropkit/restore/a b'c.sh");
    expect(s.split('\n')[0]).toBe(
      `s='/run/dropkit/restore/a b'\\''c.sh'; l='/run/dropkit/restore/a b'\\''c.log'`,
    );
  });
});
