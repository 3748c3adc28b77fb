import { describe, expect, it } from 'vitest';
import { fleetSshConfig } from '../../../kit/fleet/host-config.js';
import { parseInventory } from '../../../kit/fleet/inventory.js';
import { shellWords, sshArgSettings } from '../../../kit/fleet/ssh-args.js';
import { parseSshConfig, resolveHost } from '../../../kit/ssh/config.js';

describe("an inventory's ssh arguments as settings", () => {
  it('splits them as the shell does', () => {
    expect(shellWords(`-o 'ProxyCommand=ssh -W %h:%p bastion' -i "/k/my key" a\\ b`)).toEqual([
      '-o',
      'ProxyCommand=ssh -W %h:%p bastion',
      '-i',
      '/k/my key',
      'a b',
    ]);
    expect(() => shellWords(`-o 'Unterminated`)).toThrow(/unterminated '/);
  });

  it('takes -o, -i, -p, -l and -J, in both spellings, and names the rest', () => {
    const s = sshArgSettings(
      `-o StrictHostKeyChecking=no -oUserKnownHostsFile=/dev/null -o "ConnectTimeout 5" -i /k/id -p2222 -l admin -J bastion -C -v`,
    );
    expect(s.lines).toEqual([
      'StrictHostKeyChecking no',
      'UserKnownHostsFile /dev/null',
      'ConnectTimeout 5',
      'IdentityFile /k/id',
      'Port 2222',
      'User admin',
      'ProxyJump bastion',
    ]);
    expect(s.ignored).toEqual(['-C', '-v']);
  });
});

describe('an inventory as ssh config', () => {
  const ini = [
    '[web]',
    'web01 ansible_host=10.0.0.11 ansible_user=azureuser ansible_port=2222',
    'web02',
    '[web:vars]',
    'ansible_ssh_private_key_file=/keys/web.pem',
    `ansible_ssh_common_args='-o ProxyJump=bastion -o StrictHostKeyChecking=yes -X'`,
    '',
  ].join('\n');

  it('makes each host an alias of its name with what the inventory says, resolved as ssh would', () => {
    const hosts = parseInventory(ini, 'hosts.ini');
    const c = fleetSshConfig(hosts);
    expect(c.specs).toEqual(
      new Map([
        ['web01', 'web01'],
        ['web02', 'web02'],
      ]),
    );
    expect(c.warnings).toEqual([
      'ssh arguments not used (not settings): -X (in "-o ProxyJump=bastion -o StrictHostKeyChecking=yes -X")',
    ]);
    const parsed = parseSshConfig(c.text, 'generated');
    expect(parsed.warnings).toEqual([]);
    const web01 = resolveHost([parsed], 'web01', { home: '/home/u', user: 'u' });
    expect(web01).toMatchObject({
      hostName: '10.0.0.11',
      user: 'azureuser',
      port: 2222,
      proxyJump: ['bastion'],
      strictHostKeyChecking: 'yes',
    });
    expect(web01.identityFiles).toEqual(['/keys/web.pem']);
    // No ansible_host: the name itself, with the group's key.
    expect(resolveHost([parsed], 'web02', { home: '/home/u', user: 'u' })).toMatchObject({
      hostName: 'web02',
      identityFiles: ['/keys/web.pem'],
    });
  });

  it('a name that cannot be an alias is reached by its address, with a word about what is not used', () => {
    const c = fleetSshConfig([
      { name: 'odd*name', host: '10.0.0.9', user: 'root', port: 22, keyFile: '/k', groups: [] },
    ]);
    expect(c.specs.get('odd*name')).toBe('root@10.0.0.9:22');
    expect(c.text).not.toMatch(/Host odd/);
    expect(c.warnings[0]).toMatch(/cannot be an ssh alias/);
  });

  it('an inventory with an unterminated quote in its ssh args is refused at its line', () => {
    expect(() => parseInventory(`[a]\nh1 ansible_ssh_common_args="-o 'X=1"\n`, 'bad.ini')).toThrow(
      /bad\.ini:2: ansible_ssh_common_args: unterminated/,
    );
  });
});
