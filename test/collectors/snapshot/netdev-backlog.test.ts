import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../collectors/diagnosis/engine.js';
import { DROP_SYSCTLS, sysctlCollector } from '../../../collectors/kv-sysctl.js';
import { COLLECTORS } from '../../../collectors/registry.js';
import { buildSnapshot } from '../../../collectors/snapshot/build.js';
import type { Section } from '../../../collectors/snapshot/frames.js';
import { failureReason } from '../../../collectors/snapshot/source-status.js';
import {
  hiddenSysctlsReason,
  sysctlReadSh,
  VIA_INIT_COMMENT,
} from '../../../collectors/sysctl-read.js';
import { T0 } from '../diagnosis/azure-vm.js';
import { CILIUM_IP_LINK, SOFTNET_2CPU, VETH_ETHTOOL_S } from '../diagnosis/captures.js';
import { later, snapshotFrom } from '../diagnosis/snapshot-builder.js';

// netdev_max_backlog is a global sysctl: the kernel shows it in the initial
// network namespace only. A container or a lab host reads it through that
// namespace as root, and otherwise lists it as not collected, with the
// command that reads it; the advice then never assumes a value.

const BACKLOG = 'net.core.netdev_max_backlog';
const NAMES = ['net.core.netdev_max_backlog', 'net.core.netdev_budget', 'net.core.somaxconn'];

// A /proc/sys look-alike holding the given sysctls, and a PATH whose `id`
// and `nsenter` play the host: `id -u` prints FAKE_UID; `nsenter -t PID -n`
// enters (PID FAKE_INIT_PID only) a namespace where the hidden sysctls exist,
// which it shows by creating their files before running the command.
function fakeHost(visible: Record<string, string>, hidden: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'dropkit-sysctl-'));
  const dir = join(root, 'sys');
  const write = (name: string, value: string) => {
    const p = join(dir, name.replaceAll('.', '/'));
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, `${value}\n`);
  };
  for (const [n, v] of Object.entries(visible)) write(n, v);
  mkdirSync(join(root, 'bin'));
  const tool = (name: string, body: string) => {
    writeFileSync(join(root, 'bin', name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(root, 'bin', name), 0o755);
  };
  tool('id', 'echo "$FAKE_UID"');
  tool(
    'nsenter',
    [
      '[ "$1 $3" = "-t -n" ] || exit 2',
      '[ "$2" = "$FAKE_INIT_PID" ] || { echo "nsenter: cannot open /proc/$2/ns/net: Permission denied" >&2; exit 1; }',
      'shift 3',
      ...Object.entries(hidden).map(
        ([n, v]) =>
          `mkdir -p '${join(dir, n.replaceAll('.', '/'), '..')}'; echo '${v}' > '${join(dir, n.replaceAll('.', '/'))}'`,
      ),
      'exec "$@"',
    ].join('\n'),
  );
  return { root, dir, path: `${join(root, 'bin')}:${process.env['PATH']}` };
}

const SHELLS = [['dash'], ['bash'], ['busybox', 'sh']];

async function run(
  shell: string[],
  host: ReturnType<typeof fakeHost>,
  env: { FAKE_UID: string; FAKE_INIT_PID: string },
) {
  const r = await execa(shell[0]!, [...shell.slice(1), '-c', sysctlReadSh(NAMES, host.dir)], {
    env: { ...env, PATH: host.path },
    extendEnv: false,
    // bash reads ~/.bashrc when its stdin is a socket (it takes itself for
    // a remote shell); node's pipes are socket pairs.
    stdin: 'ignore',
    reject: false,
  });
  return { code: r.exitCode, out: r.stdout, err: r.stderr };
}

describe.each(SHELLS)('the sysctl source under %s', (...shell) => {
  it('reads every sysctl directly in the initial network namespace, never entering another', async () => {
    const host = fakeHost({ [BACKLOG]: '1000', 'net.core.somaxconn': '4096' }, {});
    expect(await run(shell, host, { FAKE_UID: '0', FAKE_INIT_PID: 'none' })).toEqual({
      code: 0,
      out: `${BACKLOG} = 1000\nnet.core.somaxconn = 4096`,
      err: '',
    });
  });

  it('as root in another namespace, reads the hidden ones in the initial one, after a comment', async () => {
    const host = fakeHost({ 'net.core.somaxconn': '4096' }, { [BACKLOG]: '32768' });
    const r = await run(shell, host, { FAKE_UID: '0', FAKE_INIT_PID: '1' });
    expect(r).toEqual({
      code: 0,
      out: ['net.core.somaxconn = 4096', VIA_INIT_COMMENT, `${BACKLOG} = 32768`].join('\n'),
      err: '',
    });
  });

  it("falls back to kthreadd's namespace when PID 1's cannot be entered", async () => {
    const kthreadd = existsSync('/proc/2/comm')
      ? readFileSync('/proc/2/comm', 'utf8').trim() === 'kthreadd'
      : false;
    const host = fakeHost({ 'net.core.somaxconn': '4096' }, { [BACKLOG]: '32768' });
    const r = await run(shell, host, { FAKE_UID: '0', FAKE_INIT_PID: '2' });
    if (kthreadd) expect(r.out).toContain(`${BACKLOG} = 32768`);
    else expect(r.code).toBe(3);
  });

  it('without root, reads what it sees and names the hidden ones on stderr', async () => {
    const host = fakeHost({ 'net.core.somaxconn': '4096' }, { [BACKLOG]: '32768' });
    const r = await run(shell, host, { FAKE_UID: '1000', FAKE_INIT_PID: '1' });
    expect(r).toEqual({
      code: 3,
      out: 'net.core.somaxconn = 4096',
      err: 'not visible in this network namespace: net/core/netdev_max_backlog net/core/netdev_budget',
    });
    // Nothing was entered: the hidden ones were never created.
    expect(existsSync(join(host.dir, 'net/core/netdev_max_backlog'))).toBe(false);
    expect(hiddenSysctlsReason(r.err, NAMES)).toBe(
      'global sysctls, not visible in this network namespace; as root: nsenter -t 1 -n sysctl net.core.netdev_max_backlog net.core.netdev_budget',
    );
  });

  it('as root where the initial namespace cannot be entered, says so', async () => {
    const host = fakeHost({ 'net.core.somaxconn': '4096' }, {});
    const r = await run(shell, host, { FAKE_UID: '0', FAKE_INIT_PID: 'none' });
    expect(r.code).toBe(3);
    expect(hiddenSysctlsReason(r.err, NAMES)).toBe(
      "global sysctls, not visible in this network namespace, and the initial one could not be entered (nsenter -t 1 -n, nor kthreadd's): net.core.netdev_max_backlog net.core.netdev_budget",
    );
  });

  it('entered a namespace that is not the initial one (a PID namespace of its own): not collected', async () => {
    // PID 1 lets itself be entered, but its namespace hides them too.
    const host = fakeHost({ 'net.core.somaxconn': '4096' }, {});
    const r = await run(shell, host, { FAKE_UID: '0', FAKE_INIT_PID: '1' });
    expect(r.code).toBe(3);
    expect(r.out).toBe('net.core.somaxconn = 4096');
    expect(r.err).toContain('could not be entered');
  });
});

describe('why the sysctl source failed', () => {
  const section = (stderr: string, exitCode = 3): Section => ({
    id: 'sysctl',
    stdout: Buffer.from('net.core.somaxconn = 4096\n'),
    stderr,
    exitCode,
    truncated: false,
  });

  it('names one hidden sysctl and the command that reads it', () => {
    expect(
      failureReason(
        section('not visible in this network namespace: net/core/netdev_max_backlog'),
        5,
        sysctlCollector.explain,
      ),
    ).toBe(
      'global sysctl, not visible in this network namespace; as root: nsenter -t 1 -n sysctl net.core.netdev_max_backlog',
    );
  });

  it('keeps only the sysctls it reads: a host may send anything', () => {
    const forged = 'not visible in this network namespace: ../../etc/passwd $(reboot) net/core/x';
    expect(hiddenSysctlsReason(forged, DROP_SYSCTLS)).toBeUndefined();
    expect(failureReason(section(forged), 5, sysctlCollector.explain)).toMatch(/^exit 3: /);
    expect(failureReason(section('awk: oops', 2), 5, sysctlCollector.explain)).toBe(
      'exit 2: awk: oops',
    );
  });

  it('lands in the snapshot as not collected, the visible values kept', () => {
    const { snapshot } = buildSnapshot({
      host: 'h',
      takenAt: '2026-01-01T00:00:00.000Z',
      durationMs: 1,
      sections: [section('not visible in this network namespace: net/core/netdev_max_backlog')],
      specs: COLLECTORS,
    });
    expect(snapshot.sysctls).toEqual({ 'net.core.somaxconn': '4096' });
    expect(snapshot.sources.find((s) => s.id === 'sysctl')).toMatchObject({
      ok: false,
      exitCode: 3,
      reason:
        'global sysctl, not visible in this network namespace; as root: nsenter -t 1 -n sysctl net.core.netdev_max_backlog',
    });
  });
});

// A real network namespace of its own (root and unshare only): as root the
// machine's value comes through the initial namespace; as nobody it does not.
const canUnshare =
  process.getuid?.() === 0 &&
  (await execa('unshare', ['-n', 'true'], { reject: false })).exitCode === 0;

describe.skipIf(!canUnshare)('the sysctl source in a network namespace of its own', () => {
  const sh = sysctlCollector.source.kind === 'shell' ? sysctlCollector.source.sh : '';
  const machine = () => readFileSync('/proc/sys/net/core/netdev_max_backlog', 'utf8').trim();

  it('as root: the machine value of netdev_max_backlog, read and left as it was', async () => {
    const before = machine();
    const r = await execa('unshare', ['-n', 'sh', '-c', sh], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`${VIA_INIT_COMMENT}\n`);
    expect(r.stdout).toMatch(new RegExp(`^${BACKLOG.replaceAll('.', '\\.')} = ${before}$`, 'm'));
    expect(machine()).toBe(before);
  });

  const canSetpriv = existsSync('/usr/bin/setpriv') || existsSync('/bin/setpriv');
  it.skipIf(!canSetpriv)('as a user without root: not collected, with the reason', async () => {
    const r = await execa(
      'unshare',
      ['-n', 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'sh', '-c', sh],
      { reject: false },
    );
    expect(r.exitCode).toBe(3);
    expect(r.stdout).not.toContain(BACKLOG);
    expect(hiddenSysctlsReason(r.stderr, DROP_SYSCTLS)).toMatch(
      /^global sysctls, not visible in this network namespace; as root: nsenter -t 1 -n sysctl net\.core\.netdev_max_backlog /,
    );
  });
});

describe('BACKLOG advice with netdev_max_backlog not collected', () => {
  const POD = 'lxcb16c490a744c';
  const before = snapshotFrom({
    host: 'vmB',
    takenAt: T0,
    ifaces: [
      {
        name: POD,
        kind: 'veth',
        driver: 'veth',
        ethtoolS: VETH_ETHTOOL_S,
        ipLink: { text: CILIUM_IP_LINK, name: POD },
      },
    ],
    softnet: SOFTNET_2CPU,
    sysctl: 'net.core.somaxconn = 4096\n',
  });
  const after = later(before, {
    seconds: 10,
    softnet: { 1: { dropped: 18_234n } },
    kernel: { [POD]: { rx_dropped: 18_234n } },
  });

  it('says the value is unknown and how to read it, and assumes none', () => {
    const [f] = diagnose({ before, after });
    expect(f?.class).toBe('BACKLOG');
    expect(f!.title).toContain('(netdev_max_backlog=?)');
    expect(f!.explanation).toContain('netdev_max_backlog unknown (not collected)');
    expect(f!.mitigation.commands).toEqual([]);
    expect(f!.mitigation.persistent).toEqual([]);
    expect(f!.mitigation.checks).toEqual([
      `sysctl ${BACKLOG}`,
      `nsenter -t 1 -n sysctl ${BACKLOG}`,
    ]);
    expect(f!.mitigation.summary).toMatch(/^Read net\.core\.netdev_max_backlog first/);
    const text = JSON.stringify(f, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    expect(text).not.toMatch(/default|1000\b/);
  });
});
