import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../../kit/doctor/checks.js';
import { PROBE_SCRIPT, parseProbe } from '../../../kit/doctor/probe.js';
import { DropkitError } from '../../../kit/errors.js';
import { LAB_SUDO_UID, LAB_SUDO_USER, LAB_USER, LAB_USERS } from '../../../kit/lab/layout.js';
import { connectSsh } from '../../../kit/transport/ssh-connect.js';
import { canRunLab } from '../../lab-available.js';
import { LAB_SSH_CONFIG } from '../../lab-helpers.js';

// A non-root login, as on most cloud VMs (azureuser): root-only commands go
// through `sudo -n`, and a sudo that wants a password is reported as such.
// The lab's own users (kit/lab/user.ts) exist only inside its hosts:
// `vmA-user` (dklab) has no sudo rights, `vmA-sudo` (dksudo) passwordless
// sudo. This test never writes the machine's /etc.
const NO_SUDO = 'vmA-user';
const SUDO = 'vmA-sudo';
const opts = { configFiles: [LAB_SSH_CONFIG] };

// A fingerprint of the machine's account and sudo files.
async function machineEtc(): Promise<Record<string, string>> {
  const files = ['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/sudoers'];
  for (const name of (await readdir('/etc/sudoers.d')).sort()) files.push(`/etc/sudoers.d/${name}`);
  const out: Record<string, string> = {};
  for (const f of files) {
    out[f] = createHash('sha256')
      .update(await readFile(f))
      .digest('hex');
  }
  return out;
}

describe.skipIf(!canRunLab())('a non-root login with sudo', () => {
  let before: Record<string, string>;
  beforeAll(async () => {
    before = await machineEtc();
  });

  it('sudo wanting a password: doctor warns, and a root command fails saying so', async () => {
    const t = await connectSsh(NO_SUDO, opts);
    try {
      expect(t.info.user).toBe(LAB_USER);
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
        `${NO_SUDO}: ethtool: sudo wants a password for ${LAB_USER}`,
      );
    } finally {
      await t.close();
    }
  });

  it('passwordless sudo: root commands run as root through sudo -n', async () => {
    const t = await connectSsh(SUDO, opts);
    try {
      expect(t.info.user).toBe(LAB_SUDO_USER);
      expect(t.info.isRoot).toBe(false);
      const uid = (await t.exec({ argv: ['id', '-u'] })).stdout.toString().trim();
      expect(uid).not.toBe('0');
      expect(uid).toBe(String(LAB_SUDO_UID));
      expect((await t.exec({ argv: ['id', '-u'], root: true })).stdout.toString().trim()).toBe('0');
      const facts = parseProbe((await t.exec({ script: PROBE_SCRIPT })).stdout.toString());
      expect(facts.sudo).toBe('passwordless');
    } finally {
      await t.close();
    }
  });

  it("leaves the machine's /etc untouched: no lab user, no sudoers file", async () => {
    expect(await machineEtc()).toEqual(before);
    for (const file of ['/etc/passwd', '/etc/group', '/etc/shadow']) {
      const lines = (await readFile(file, 'utf8')).split('\n');
      for (const user of LAB_USERS) {
        expect(lines.filter((l) => l.startsWith(`${user.name}:`))).toEqual([]);
      }
    }
    for (const name of await readdir('/etc/sudoers.d')) {
      expect(await readFile(`/etc/sudoers.d/${name}`, 'utf8')).not.toContain(LAB_SUDO_USER);
    }
  });
});
