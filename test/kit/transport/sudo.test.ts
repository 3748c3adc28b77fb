import { rm, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../../kit/doctor/checks.js';
import { PROBE_SCRIPT, parseProbe } from '../../../kit/doctor/probe.js';
import { DropkitError } from '../../../kit/errors.js';
import { connectSsh } from '../../../kit/transport/ssh-connect.js';
import { canRunLab } from '../../lab-available.js';
import { LAB_SSH_CONFIG } from '../../lab-helpers.js';

// A non-root login, as on most cloud VMs (azureuser): root-only commands go
// through `sudo -n`, and a sudo that wants a password is reported as such.
const USER = 'dkuser';
const SUDOERS = '/etc/sudoers.d/dropkit-test';
const opts = { configFiles: [LAB_SSH_CONFIG] };

describe.skipIf(!canRunLab())('a non-root login with sudo', () => {
  beforeAll(async () => {
    await execa('userdel', ['-r', USER], { reject: false });
    await execa('useradd', ['-m', '-d', `/tmp/${USER}-home`, '-s', '/bin/sh', USER]);
    // "*": no password, but not a locked account (sshd without PAM refuses "!").
    await execa('usermod', ['-p', '*', USER]);
  });
  afterAll(async () => {
    await rm(SUDOERS, { force: true });
    await execa('userdel', ['-r', USER], { reject: false });
  });

  it('sudo wanting a password: doctor warns, and a root command fails saying so', async () => {
    await rm(SUDOERS, { force: true });
    const t = await connectSsh(`${USER}@vmA`, opts);
    try {
      expect(t.info.isRoot).toBe(false);
      const facts = parseProbe((await t.exec({ script: PROBE_SCRIPT })).stdout.toString());
      expect(facts.uid).not.toBe(0);
      expect(facts.sudo).toBe('password');
      const priv = evaluate(t.info, facts, undefined, 'bundle').find((c) => c.id === 'privilege')!;
      expect(priv.status).toBe('warn');
      expect(priv.detail).toMatch(/sudo wants a password/);
      const e = await t.exec({ argv: ['id', '-u'], root: true, step: 'ethtool' }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(DropkitError);
      expect((e as DropkitError).code).toBe('SUDO_PASSWORD_REQUIRED');
      expect((e as DropkitError).oneLine).toBe(
        `${USER}@vmA: ethtool: sudo wants a password for ${USER}`,
      );
    } finally {
      await t.close();
    }
  });

  it('passwordless sudo: root commands run as root through sudo -n', async () => {
    await writeFile(SUDOERS, `${USER} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
    const t = await connectSsh(`${USER}@vmA`, opts);
    try {
      expect((await t.exec({ argv: ['id', '-u'] })).stdout.toString().trim()).not.toBe('0');
      expect((await t.exec({ argv: ['id', '-u'], root: true })).stdout.toString().trim()).toBe('0');
      const facts = parseProbe((await t.exec({ script: PROBE_SCRIPT })).stdout.toString());
      expect(facts.sudo).toBe('passwordless');
    } finally {
      await t.close();
    }
  });
});
