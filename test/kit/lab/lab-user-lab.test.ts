import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DropkitError } from '../../../kit/errors.js';
import {
  LAB_SUDO_UID,
  LAB_SUDO_USER,
  LAB_UID,
  LAB_USER,
  LAB_USERS,
} from '../../../kit/lab/layout.js';
import { openTransport } from '../../../kit/transport/open.js';
import type { Transport } from '../../../kit/transport/types.js';
import { canRunLab } from '../../lab-available.js';
import { LAB_SSH_CONFIG } from '../../lab-helpers.js';

// Every lab host has an unprivileged login without sudo rights (kit/lab/user.ts),
// reached through the `-user` aliases, and one with passwordless sudo, through
// the `-sudo` aliases; they exist only inside the hosts.
describe.skipIf(!canRunLab())('the lab users (no sudo, passwordless sudo)', () => {
  let t: Transport;
  const run = async (argv: string[]) => {
    const r = await t.exec({ argv });
    return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr };
  };

  beforeAll(async () => {
    t = await openTransport('vmB-user', { sshConfig: [LAB_SSH_CONFIG] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('logs in over SSH as an unprivileged user, with a clean session', async () => {
    expect(t.info.user).toBe(LAB_USER);
    expect(t.info.isRoot).toBe(false);
    const id = await run(['id', '-u']);
    expect(id).toEqual({ code: 0, out: `${LAB_UID}\n`, err: '' });
    expect(LAB_UID).toBe(64123);
    // The host is vmB, and its home exists (sshd would complain on stderr).
    expect((await run(['hostname'])).out).toBe('aks-nodepool1-31754206-vmss000001\n');
    expect(await run(['sh', '-c', 'cd && pwd'])).toMatchObject({ code: 0, err: '' });
  });

  it('has no sudo: `sudo -n` asks for a password, and dropkit refuses a root command', async () => {
    const sudo = await run(['sudo', '-n', 'true']);
    expect(sudo.code).not.toBe(0);
    expect(sudo.err).toContain('sudo: a password is required');
    const e = await t.exec({ argv: ['id', '-u'], root: true, step: 'apply' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(DropkitError);
    expect((e as DropkitError).code).toBe('SUDO_PASSWORD_REQUIRED');
  });

  it('exists on every host, and vmA/vmB still log in as root', async () => {
    const vmA = await openTransport('vmA-user', { sshConfig: [LAB_SSH_CONFIG] });
    const root = await openTransport('vmB', { sshConfig: [LAB_SSH_CONFIG] });
    try {
      expect((await vmA.exec({ argv: ['id', '-u'] })).stdout.toString()).toBe(`${LAB_UID}\n`);
      expect(root.info.isRoot).toBe(true);
      expect((await root.exec({ argv: ['id', '-u'] })).stdout.toString()).toBe('0\n');
    } finally {
      await vmA.close();
      await root.close();
    }
  });

  it('finds ethtool and tc: a non-root PATH has the sbin directories, as on a cloud VM', async () => {
    for (const alias of ['vmB-user', 'vmA-sudo']) {
      const u = await openTransport(alias, { sshConfig: [LAB_SSH_CONFIG] });
      try {
        expect(u.info.isRoot).toBe(false);
        for (const tool of ['ethtool', 'tc']) {
          const r = await u.exec({ argv: ['sh', '-c', `command -v ${tool}`] });
          expect({ alias, code: r.exitCode, out: r.stdout.toString() }).toMatchObject({
            alias,
            code: 0,
            out: expect.stringMatching(new RegExp(`^/(usr/)?sbin/${tool}\n$`)),
          });
        }
      } finally {
        await u.close();
      }
    }
  });

  it('has a passwordless sudo user on every host: `sudo -n` gives uid 0, with nothing on stderr', async () => {
    for (const alias of ['vmB-sudo', 'vmA-sudo']) {
      const s = await openTransport(alias, { sshConfig: [LAB_SSH_CONFIG] });
      try {
        expect(s.info.user).toBe(LAB_SUDO_USER);
        expect(s.info.isRoot).toBe(false);
        const own = await s.exec({ argv: ['id', '-u'] });
        expect(own.stdout.toString()).toBe(`${LAB_SUDO_UID}\n`);
        expect(LAB_SUDO_UID).toBe(64124);
        const sudo = await s.exec({ argv: ['sudo', '-n', 'id', '-u'] });
        expect({ code: sudo.exitCode, out: sudo.stdout.toString(), err: sudo.stderr }).toEqual({
          code: 0,
          out: '0\n',
          err: '',
        });
        // And through dropkit's own root path.
        const viaRoot = await s.exec({ argv: ['id', '-u'], root: true });
        expect(viaRoot.stdout.toString()).toBe('0\n');
      } finally {
        await s.close();
      }
    }
  });

  it('is not on this machine: its /etc is untouched', async () => {
    for (const file of ['/etc/passwd', '/etc/group', '/etc/shadow']) {
      const lines = (await readFile(file, 'utf8')).split('\n');
      for (const user of LAB_USERS) {
        expect(lines.filter((l) => l.startsWith(`${user.name}:`))).toEqual([]);
      }
    }
    const passwd = (await readFile('/etc/passwd', 'utf8')).split('\n');
    for (const user of LAB_USERS) {
      expect(passwd.filter((l) => l.split(':')[2] === String(user.uid))).toEqual([]);
    }
    for (const name of await readdir('/etc/sudoers.d')) {
      expect(await readFile(`/etc/sudoers.d/${name}`, 'utf8')).not.toContain(LAB_SUDO_USER);
    }
  });
});
