import { describe, expect, it } from 'vitest';
import { DropkitError } from '../../../kit/errors.js';
import {
  clientSshConfig,
  LAB_USER_PATH,
  LAB_USERS,
  labIdFor,
  labLayout,
  SUDO_LAB_USER,
  sshdConfig,
  sudoAliasFor,
  userAliasFor,
} from '../../../kit/lab/layout.js';
import {
  checkSudoers,
  includesSudoersDir,
  labUserLine,
  sudoersDropIn,
  withLabUsers,
} from '../../../kit/lab/user.js';

const DIR = '/run/dropkit/lab-x';

describe('the lab users', () => {
  it('are dklab (no sudo) and dksudo (passwordless sudo), with fixed ids', () => {
    expect(LAB_USERS.map((u) => [u.name, u.uid, u.gid, u.sudo])).toEqual([
      ['dklab', 64123, 64123, false],
      ['dksudo', 64124, 64124, true],
    ]);
  });

  it('add one line each to each account file, with unlocked shadow entries', () => {
    expect(withLabUsers(DIR, 'passwd', 'root:x:0:0:root:/root:/bin/bash\n')).toBe(
      'root:x:0:0:root:/root:/bin/bash\n' +
        `dklab:x:64123:64123:dropkit lab user:${DIR}/home/dklab:/bin/sh\n` +
        `dksudo:x:64124:64124:dropkit lab sudo user:${DIR}/home/dksudo:/bin/sh\n`,
    );
    // A file without a final newline still gets the lines on their own.
    expect(withLabUsers(DIR, 'group', 'root:x:0:')).toBe(
      'root:x:0:\ndklab:x:64123:\ndksudo:x:64124:\n',
    );
    for (const user of LAB_USERS) {
      const shadow = labUserLine(DIR, 'shadow', user);
      expect(shadow.split(':')).toHaveLength(9);
      expect(shadow.split(':')[1]).toBe('*');
    }
  });

  it('refuse a name or id this machine already uses', () => {
    expect(() => withLabUsers(DIR, 'passwd', 'dklab:x:1000:1000::/home/d:/bin/sh\n')).toThrow(
      DropkitError,
    );
    expect(() => withLabUsers(DIR, 'passwd', 'dksudo:x:1000:1000::/home/d:/bin/sh\n')).toThrow(
      /already has "dksudo".*"dksudo" \(64124\)/,
    );
    expect(() => withLabUsers(DIR, 'passwd', 'other:x:64123:100::/:/bin/sh\n')).toThrow(
      /already has "other"/,
    );
    expect(() => withLabUsers(DIR, 'passwd', 'other:x:64124:100::/:/bin/sh\n')).toThrow(
      /already has "other" \(id 64124\)/,
    );
    expect(() => withLabUsers(DIR, 'group', 'other:x:64123:\n')).toThrow(DropkitError);
    expect(() => withLabUsers(DIR, 'group', 'other:x:64124:\n')).toThrow(DropkitError);
    expect(() => withLabUsers(DIR, 'shadow', 'dklab:!:19000::::::\n')).toThrow(DropkitError);
    expect(() => withLabUsers(DIR, 'shadow', 'dksudo:!:19000::::::\n')).toThrow(DropkitError);
    // In shadow the third field is a date, not an id.
    const shadow = withLabUsers(DIR, 'shadow', 'root:*:64124:0:99999:7:::\n');
    expect(shadow).toContain('dklab:*:');
    expect(shadow).toContain('dksudo:*:');
  });

  it('get a -user and a -sudo alias per host in the client config, after the root ones', () => {
    const cfg = clientSshConfig(DIR, labLayout(labIdFor('x'), 2));
    const hosts = [...cfg.matchAll(/^Host (.+)$/gm)].map((m) => m[1]);
    expect(hosts).toEqual(['vmA', 'vmB', 'vmA-user', 'vmB-user', 'vmA-sudo', 'vmB-sudo']);
    expect([userAliasFor('vmB'), sudoAliasFor('vmB')]).toEqual(['vmB-user', 'vmB-sudo']);
    const block = (alias: string) =>
      cfg
        .split(/\n\n/)
        .map((b) => b.replace(/^#.*\n/, ''))
        .find((b) => b.startsWith(`Host ${alias}\n`))!
        .trimEnd();
    const rest = (alias: string, user: string) =>
      block(alias).replace(`Host ${alias}`, '').replace(`User ${user}`, '');
    expect(block('vmB')).toContain('User root');
    expect(block('vmB-user')).toContain('User dklab');
    expect(block('vmB-sudo')).toContain('User dksudo');
    expect(rest('vmB-user', 'dklab')).toBe(rest('vmB', 'root'));
    expect(rest('vmB-sudo', 'dksudo')).toBe(rest('vmB', 'root'));
    expect(rest('vmA-sudo', 'dksudo')).toBe(rest('vmA', 'root'));
  });

  it('get a cloud image PATH with the sbin directories from sshd, root keeps its own', () => {
    const layout = labLayout(labIdFor('x'), 2);
    const cfg = sshdConfig(DIR, layout.hosts[0]!);
    expect(LAB_USER_PATH.split(':')).toEqual(
      expect.arrayContaining(['/usr/sbin', '/sbin', '/usr/bin', '/bin']),
    );
    // The Match block is last: it applies to everything after it.
    expect(cfg.trimEnd().split('\n').slice(-2)).toEqual([
      'Match User dklab,dksudo',
      `  SetEnv PATH=${LAB_USER_PATH}`,
    ]);
    expect(cfg.match(/SetEnv/g)).toHaveLength(1);
  });
});

describe('the lab sudoers drop-in', () => {
  it('gives the sudo user, and only it, passwordless sudo', () => {
    const rules = sudoersDropIn()
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    // !fqdn: a lab host cannot resolve its own name, and sudo would say so.
    expect(rules).toEqual(['Defaults !fqdn', `${SUDO_LAB_USER.name} ALL=(ALL) NOPASSWD: ALL`]);
  });

  it('needs /etc/sudoers to include /etc/sudoers.d', () => {
    expect(includesSudoersDir('Defaults env_reset\n@includedir /etc/sudoers.d\n')).toBe(true);
    expect(includesSudoersDir('#includedir /etc/sudoers.d\n')).toBe(true);
    expect(includesSudoersDir('  @includedir "/etc/sudoers.d/"  \n')).toBe(true);
    // A comment, another directory, or a mismatched quote is not it.
    expect(includesSudoersDir('# includedir /etc/sudoers.d\n')).toBe(false);
    expect(includesSudoersDir('@includedir /etc/sudoers.local\n')).toBe(false);
    expect(includesSudoersDir('@includedir "/etc/sudoers.d\n')).toBe(false);
    expect(includesSudoersDir('root ALL=(ALL:ALL) ALL\n')).toBe(false);
  });

  it('fails lab up clearly when sudo would not read it, or is missing', () => {
    expect(() => checkSudoers('@includedir /etc/sudoers.d\n')).not.toThrow();
    const err = (text: string | undefined) => {
      try {
        checkSudoers(text);
      } catch (e) {
        return e as DropkitError;
      }
      throw new Error('no error');
    };
    const none = err('root ALL=(ALL:ALL) ALL\n');
    expect(none).toBeInstanceOf(DropkitError);
    expect(none.code).toBe('LAB_FAILED');
    expect(none.oneLine).toBe(
      'lab up: /etc/sudoers has no "@includedir /etc/sudoers.d": the lab\'s user "dksudo" gets its sudo rights from a drop-in there',
    );
    expect(none.hint).toMatch(/visudo/);
    const missing = err(undefined);
    expect(missing.code).toBe('TOOL_MISSING');
    expect(missing.hint).toMatch(/apt-get install -y sudo/);
  });
});
