import { getEventListeners } from 'node:events';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DropkitError } from '../../../kit/errors.js';
import type { SshTransport } from '../../../kit/transport/ssh.js';
import { connectSsh } from '../../../kit/transport/ssh-connect.js';
import { canRunLab } from '../../lab-available.js';
import { LAB_SSH_CONFIG, labHost, TEST_LAB } from '../../lab-helpers.js';

const opts = (extra: object = {}) => ({ configFiles: [LAB_SSH_CONFIG], ...extra });

async function expectError(p: Promise<unknown>, code: string | string[]): Promise<DropkitError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DropkitError);
  expect(Array.isArray(code) ? code : [code]).toContain((e as DropkitError).code);
  return e as DropkitError;
}

async function pgrep(pattern: string): Promise<string> {
  return (await execa('pgrep', ['-af', pattern], { reject: false })).stdout.trim();
}

describe.skipIf(!canRunLab())('SSH transport against the lab sshd', () => {
  let vmA: SshTransport;
  let dir: string;

  beforeAll(async () => {
    vmA = await connectSsh('vmA', opts());
    dir = await mkdtemp(join(tmpdir(), 'dropkit-ssh-'));
  });
  afterAll(async () => {
    await vmA?.close();
  });

  it('connects by lab alias with a verified host key and runs commands', async () => {
    expect(vmA.info.user).toBe('root');
    expect(vmA.info.isRoot).toBe(true);
    expect(vmA.info.authMethod).toBe('publickey');
    expect(vmA.info.hostKey?.status).toBe('known');
    expect(vmA.info.hostKey?.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const r = await vmA.exec({ argv: ['hostname'] });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.toString()).toBe('aks-nodepool1-31754206-vmss000000\n');
  });

  it('returns stdout as exact bytes, stderr, and the exit code', async () => {
    const r = await vmA.exec({
      argv: ['sh', '-c', "printf '\\000\\377\\n'; echo oops >&2; exit 7"],
    });
    expect([...r.stdout]).toEqual([0, 255, 10]);
    expect(r.stderr).toBe('oops\n');
    expect(r.exitCode).toBe(7);
    expect(r.durationMs).toBeGreaterThan(0);
  });

  it('quotes arguments: shell metacharacters arrive literally', async () => {
    const nasty = `it's $(id) \`id\` ; rm -rf /nonexistent && echo "x" | cat > /dev/null *`;
    const r = await vmA.exec({ argv: ['printf', '%s', nasty] });
    expect(r.stdout.toString()).toBe(nasty);
  });

  it('passes stdin, and runs scripts through sh -s', async () => {
    const r = await vmA.exec({ argv: ['wc', '-c'], stdin: Buffer.alloc(100_000, 97) });
    expect(r.stdout.toString().trim()).toBe('100000');
    const s = await vmA.exec({ script: 'a=21\necho $((a * 2))\n' });
    expect(s.stdout.toString()).toBe('42\n');
  });

  it('every exit code arrives, even from commands that end at once', async () => {
    // The exit status of a quick command can come in the same packet as the
    // exec's success reply; it used to be lost now and then (null).
    const results = await Promise.all(
      Array.from({ length: 48 }, (_, i) => vmA.exec({ argv: ['sh', '-c', `exit ${i % 8}`] })),
    );
    expect(results.map((r) => r.exitCode)).toEqual(Array.from({ length: 48 }, (_, i) => i % 8));
  });

  it('leaves no listener behind once a command is over', async () => {
    const release = new AbortController();
    let lost = 0;
    const off = vmA.onClose(() => lost++);
    for (let i = 0; i < 12; i++)
      await vmA.exec({ argv: ['true'], tied: true, release: release.signal });
    expect(getEventListeners(release.signal, 'abort')).toHaveLength(0);
    // Only the listener registered here is left on the connection.
    expect((vmA as unknown as { listeners: unknown[] }).listeners).toHaveLength(1);
    off();
    expect((vmA as unknown as { listeners: unknown[] }).listeners).toHaveLength(0);
    expect(lost).toBe(0);
  });

  it('keeps several commands in flight on one connection', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        vmA.exec({ argv: ['sh', '-c', `sleep 0.2; echo ${i}; echo $SSH_CONNECTION`] }),
      ),
    );
    expect(results.map((r) => r.stdout.toString().split('\n')[0])).toEqual(
      Array.from({ length: 12 }, (_, i) => String(i)),
    );
    // One TCP connection: every channel reports the same client port.
    const ports = new Set(results.map((r) => r.stdout.toString().split('\n')[1]!.split(' ')[1]));
    expect(ports.size).toBe(1);
  });

  it('a command timeout kills the remote process, not just the channel', async () => {
    const r = await vmA.exec({ argv: ['sh', '-c', 'sleep 37.5; echo never'], timeoutMs: 500 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(r.stdout.toString()).not.toContain('never');
    expect(await pgrep('sleep 37.5')).toBe('');
    // The connection is still usable afterwards.
    expect((await vmA.exec({ argv: ['true'] })).exitCode).toBe(0);
  });

  it('an abort signal kills the remote process too', async () => {
    const ac = new AbortController();
    const p = vmA.exec({ argv: ['sleep', '38.5'], signal: ac.signal });
    await new Promise((r) => setTimeout(r, 300));
    ac.abort();
    const r = await p;
    expect(r.aborted).toBe(true);
    expect(await pgrep('sleep 38.5')).toBe('');
  });

  it('a tied command stops gracefully when released', async () => {
    const release = new AbortController();
    const p = vmA.exec({ argv: ['sleep', '39.25'], tied: true, release: release.signal });
    await new Promise((r) => setTimeout(r, 300));
    expect(await pgrep('sleep 39.25')).not.toBe('');
    release.abort();
    const r = await p;
    // SIGTERM from the watcher, not a timeout or an abort.
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(143);
    expect(await pgrep('sleep 39.25')).toBe('');
  });

  it('a tied command dies with the connection', async () => {
    const t = await connectSsh('vmA', opts());
    const p = t.exec({ argv: ['sleep', '39.75'], tied: true }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 300));
    expect(await pgrep('sleep 39.75')).not.toBe('');
    await t.close();
    await p;
    // sshd closes the session's pipes; the watcher sees EOF and kills it.
    for (let i = 0; i < 20 && (await pgrep('sleep 39.75')); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await pgrep('sleep 39.75')).toBe('');
  });

  it('an unreachable lab address gives a clear error within the connect timeout', async () => {
    const addr = `198.18.${TEST_LAB.octet}.99`;
    const e = await expectError(connectSsh(`root@${addr}`, opts({ connectTimeoutMs: 2000 })), [
      // Both are right for an address nobody answers ARP for: the handshake
      // timer fires, or the kernel reports EHOSTUNREACH.
      'CONNECT_TIMEOUT',
      'CONNECT_FAILED',
    ]);
    expect(e.message).toContain(addr);
    expect(e.host).toBe(`root@${addr}`);
  });

  it('a wrong user gives an authentication error naming the host', async () => {
    const e = await expectError(connectSsh('nosuchuser@vmA', opts()), 'AUTH_FAILED');
    expect(e.oneLine).toContain('nosuchuser@vmA');
    expect(e.message).toContain('nosuchuser@');
    expect(e.hint).toBeTruthy();
  });

  it('a wrong key gives an authentication error', async () => {
    const key = join(dir, 'wrong_key');
    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const vm = await labHost('vmA');
    const cfg = join(dir, 'wrongkey_config');
    await writeFile(
      cfg,
      `Host wrongkey\n  HostName ${vm.address}\n  User root\n  IdentityFile ${key}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${TEST_LAB.stateDir}/known_hosts\n`,
    );
    const e = await expectError(connectSsh('wrongkey', { configFiles: [cfg] }), 'AUTH_FAILED');
    expect(e.message).toContain(key);
  });

  it('refuses an unknown host key with its fingerprint, and records it with --accept-new-host-key', async () => {
    const vm = await labHost('vmB');
    const kh = join(dir, 'known_hosts_empty');
    await writeFile(kh, '');
    const cfg = join(dir, 'unknown_config');
    await writeFile(
      cfg,
      `Host newhost\n  HostName ${vm.address}\n  User root\n  IdentityFile ${TEST_LAB.stateDir}/id_ed25519\n  UserKnownHostsFile ${kh}\n  StrictHostKeyChecking yes\n`,
    );
    const expected = (
      await execa('ssh-keygen', ['-lf', `${TEST_LAB.stateDir}/vmB/ssh_host_ed25519_key.pub`])
    ).stdout.split(' ')[1]!;
    const e = await expectError(connectSsh('newhost', { configFiles: [cfg] }), 'HOST_KEY_UNKNOWN');
    expect(e.message).toContain(expected);
    expect(e.hint).toContain('--accept-new-host-key');
    expect(await readFile(kh, 'utf8')).toBe('');

    const t = await connectSsh('newhost', { configFiles: [cfg], acceptNewHostKey: true });
    expect(t.info.hostKey?.status).toBe('accepted-new');
    await t.close();
    expect(await readFile(kh, 'utf8')).toContain(vm.address);
    const again = await connectSsh('newhost', { configFiles: [cfg] });
    expect(again.info.hostKey?.status).toBe('known');
    await again.close();
  });

  it('trusts a key found only in GlobalKnownHostsFile, as ssh does', async () => {
    const vm = await labHost('vmB');
    const kh = join(dir, 'known_hosts_user_only');
    await writeFile(kh, '');
    const cfg = join(dir, 'global_config');
    await writeFile(
      cfg,
      `Host globalkh\n  HostName ${vm.address}\n  User root\n  IdentityFile ${TEST_LAB.stateDir}/id_ed25519\n  UserKnownHostsFile ${kh}\n  GlobalKnownHostsFile ${TEST_LAB.stateDir}/known_hosts\n  StrictHostKeyChecking yes\n`,
    );
    const t = await connectSsh('globalkh', { configFiles: [cfg] });
    expect(t.info.hostKey?.status).toBe('known');
    await t.close();
    // Nothing was added to the user's file.
    expect(await readFile(kh, 'utf8')).toBe('');
  });

  it('always refuses a changed host key, even with --accept-new-host-key', async () => {
    // Same situation as a re-generated host key: known_hosts holds a different
    // ed25519 key for this address.
    const vm = await labHost('vmA');
    const other = join(dir, 'regenerated_host_key');
    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const pub = (await readFile(`${other}.pub`, 'utf8')).split(' ');
    const kh = join(dir, 'known_hosts_changed');
    await writeFile(kh, `${vm.address} ${pub[0]} ${pub[1]}\n`);
    const cfg = join(dir, 'changed_config');
    await writeFile(
      cfg,
      `Host changed\n  HostName ${vm.address}\n  User root\n  IdentityFile ${TEST_LAB.stateDir}/id_ed25519\n  UserKnownHostsFile ${kh}\n  StrictHostKeyChecking accept-new\n`,
    );
    const e = await expectError(
      connectSsh('changed', { configFiles: [cfg], acceptNewHostKey: true }),
      'HOST_KEY_CHANGED',
    );
    expect(e.message).toContain(`${kh}:1`);
    expect(e.hint).toContain('ssh-keygen -R');
    expect(await readFile(kh, 'utf8')).toBe(`${vm.address} ${pub[0]} ${pub[1]}\n`);
  });

  it('authenticates with ssh-agent when the key is only in the agent', async () => {
    const sock = join(dir, 'agent.sock');
    const agent = await execa('ssh-agent', ['-a', sock, '-s']);
    const pid = agent.stdout.match(/SSH_AGENT_PID=(\d+)/)![1]!;
    const saved = process.env['SSH_AUTH_SOCK'];
    try {
      await execa('ssh-add', [`${TEST_LAB.stateDir}/id_ed25519`], { env: { SSH_AUTH_SOCK: sock } });
      const vm = await labHost('vmA');
      const cfg = join(dir, 'agent_config');
      // No IdentityFile: only the agent holds the key.
      await writeFile(
        cfg,
        `Host viaagent\n  HostName ${vm.address}\n  User root\n  IdentityFile ${join(dir, 'no-such-key')}\n  UserKnownHostsFile ${TEST_LAB.stateDir}/known_hosts\n`,
      );
      process.env['SSH_AUTH_SOCK'] = sock;
      const t = await connectSsh('viaagent', { configFiles: [cfg] });
      expect(t.info.authMethod).toBe('agent');
      expect((await t.exec({ argv: ['true'] })).exitCode).toBe(0);
      await t.close();
    } finally {
      if (saved === undefined) delete process.env['SSH_AUTH_SOCK'];
      else process.env['SSH_AUTH_SOCK'] = saved;
      process.kill(Number(pid), 'SIGTERM');
    }
  });

  it('accepts a host recorded in a hashed known_hosts (ssh-keygen -H)', async () => {
    const kh = join(dir, 'known_hosts_hashed');
    await writeFile(kh, await readFile(`${TEST_LAB.stateDir}/known_hosts`, 'utf8'));
    await execa('ssh-keygen', ['-H', '-f', kh]);
    expect(await readFile(kh, 'utf8')).toMatch(/^\|1\|/);
    const vm = await labHost('vmB');
    const cfg = join(dir, 'hashed_config');
    await writeFile(
      cfg,
      `Host hashed\n  HostName ${vm.address}\n  User root\n  IdentityFile ${TEST_LAB.stateDir}/id_ed25519\n  UserKnownHostsFile ${kh}\n  StrictHostKeyChecking yes\n`,
    );
    const t = await connectSsh('hashed', { configFiles: [cfg] });
    expect(t.info.hostKey?.status).toBe('known');
    await t.close();
  });

  it('an unknown alias gives a clear error', async () => {
    const e = await expectError(connectSsh('no-such-alias-dropkit', opts()), 'UNKNOWN_HOST_ALIAS');
    expect(e.message).toContain('no-such-alias-dropkit');
  });

  it('malformed ssh config lines give a warning, not a crash', async () => {
    const cfg = join(dir, 'malformed_config');
    await writeFile(
      cfg,
      `Hostname\n= = =\nPort notanumber\nMatch host other exec "false"\n  User nobody\n`,
    );
    const warnings: string[] = [];
    const t = await connectSsh('vmA', {
      configFiles: [cfg, LAB_SSH_CONFIG],
      debug: (l) => warnings.push(l),
    });
    expect((await t.exec({ argv: ['true'] })).exitCode).toBe(0);
    await t.close();
    expect(warnings.some((w) => w.includes(`${cfg}:`))).toBe(true);
  });

  it('ProxyJump through vmA reaches vmB from vmA', async () => {
    const vmAHost = await labHost('vmA');
    const vmBHost = await labHost('vmB');
    const cfg = join(dir, 'jump_config');
    await writeFile(
      cfg,
      `Host vmB-via-vmA\n  HostName ${vmBHost.address}\n  User root\n  IdentityFile ${TEST_LAB.stateDir}/id_ed25519\n  UserKnownHostsFile ${TEST_LAB.stateDir}/known_hosts\n  ProxyJump vmA\n`,
    );
    const t = await connectSsh('vmB-via-vmA', { configFiles: [cfg, LAB_SSH_CONFIG] });
    const r = await t.exec({ argv: ['sh', '-c', 'hostname; echo $SSH_CONNECTION'] });
    await t.close();
    const [name, conn] = r.stdout.toString().split('\n');
    expect(name).toBe(vmBHost.hostname);
    // sshd on vmB saw the connection come from vmA, not from the bridge.
    expect(conn!.split(' ')[0]).toBe(vmAHost.address);
    expect(t.info.via).toEqual(['vmA']);
  });
});
