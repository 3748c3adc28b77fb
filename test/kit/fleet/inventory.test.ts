import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DropkitError } from '../../../kit/errors.js';
import { parseAnsibleIni } from '../../../kit/fleet/ansible-ini.js';
import { parseAnsibleYaml } from '../../../kit/fleet/ansible-yaml.js';
import { inventoryFormat, parseInventory } from '../../../kit/fleet/inventory.js';
import { readHostList } from '../../../kit/fleet/read-host-list.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'fleet');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function failure(f: () => unknown): DropkitError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DropkitError);
    return e as DropkitError;
  }
  throw new Error('expected an error');
}

describe('Ansible INI inventory', () => {
  it('reads a production-shaped inventory: ranges, ports, children and vars', () => {
    const hosts = parseAnsibleIni(fixture('production.ini'), 'production.ini');
    expect(hosts).toEqual([
      { name: 'mail.example.com', host: 'mail.example.com', groups: [] },
      // The host's own ansible_user beats the group's.
      ...['01', '02', '03'].map((n) => ({
        name: `web${n}.example.com`,
        host: `web${n}.example.com`,
        user: 'deploy',
        groups: ['atlanta', 'webservers'],
      })),
      // atlanta's ansible_user reaches the hosts of its children.
      {
        name: 'foo.example.com',
        host: 'foo.example.com',
        user: 'ops',
        port: 2222,
        groups: ['atlanta', 'webservers'],
      },
      {
        name: 'one.example.com',
        host: '192.0.2.11',
        user: 'ops',
        port: 5555,
        groups: ['atlanta', 'dbservers'],
      },
      // The old ansible_ssh_* names still work.
      {
        name: 'two.example.com',
        host: '192.0.2.12',
        user: 'postgres',
        groups: ['atlanta', 'dbservers'],
      },
    ]);
  });

  it('lets a child group override its parent, and a host its groups', () => {
    const text = [
      '[all:vars]',
      'ansible_user=root',
      '[dc]',
      '[dc:children]',
      'rack1',
      '[dc:vars]',
      'ansible_user=dc-user',
      'ansible_port=2200',
      '[rack1]',
      'r1-a',
      'r1-b ansible_user=b',
      '[rack1:vars]',
      'ansible_user = rack-user',
      '[other]',
      'x',
    ].join('\n');
    expect(parseAnsibleIni(text, 'inv')).toEqual([
      { name: 'r1-a', host: 'r1-a', user: 'rack-user', port: 2200, groups: ['dc', 'rack1'] },
      { name: 'r1-b', host: 'r1-b', user: 'b', port: 2200, groups: ['dc', 'rack1'] },
      { name: 'x', host: 'x', user: 'root', groups: ['other'] },
    ]);
  });

  it('lists a host in several groups once, with every group', () => {
    const text = '[a]\nh1 ansible_port=22\n[b]\nh1 ansible_port=2222\nh2\n';
    expect(parseAnsibleIni(text, 'inv')).toEqual([
      { name: 'h1', host: 'h1', port: 2222, groups: ['a', 'b'] },
      { name: 'h2', host: 'h2', groups: ['b'] },
    ]);
  });

  it('expands numeric and letter ranges, with steps and zero padding', () => {
    const names = (p: string) => parseAnsibleIni(`${p}\n`, 'inv').map((h) => h.name);
    expect(names('web[1:3]')).toEqual(['web1', 'web2', 'web3']);
    expect(names('web[08:10].x')).toEqual(['web08.x', 'web09.x', 'web10.x']);
    expect(names('n[0:6:3]')).toEqual(['n0', 'n3', 'n6']);
    expect(names('db-[a:c]')).toEqual(['db-a', 'db-b', 'db-c']);
    expect(names('r[1:2]-n[1:2]')).toEqual(['r1-n1', 'r1-n2', 'r2-n1', 'r2-n2']);
    expect(names('[:1]x')).toEqual(['0x', '1x']);
    expect(parseAnsibleIni('w[1:2]:2022\n', 'inv').map((h) => h.port)).toEqual([2022, 2022]);
  });

  it('names the file, the line and the problem of a malformed inventory', () => {
    const bad = failure(() => parseAnsibleIni(fixture('bad-port.ini'), 'bad-port.ini'));
    expect(bad.message).toBe(
      'bad-port.ini:3: ansible_port "ssh" is not a port between 1 and 65535',
    );
    expect(bad.code).toBe('USAGE');
    const cases: Array<[string, string]> = [
      ['[web]\nweb[3:1]\n', 'inv:2: range of "web[3:1]" runs backwards'],
      ['web[01:100]\n', 'inv:1: range of "web[01:100]" must give both ends the same width'],
      ['web[1:x]\n', 'inv:1: range of "web[1:x]" must be numbers or single letters'],
      ['web[1-3]\n', 'inv:1: malformed range in "web[1-3]"'],
      ['h1 ansible_user\n', 'inv:1: expected key=value, found "ansible_user"'],
      ['h1 ansible_host="10.0.0.1\n', 'inv:1: unterminated quote'],
      ['\n\n[web:hosts]\n', 'inv:3: unknown section type ":hosts" in "[web:hosts]"'],
      ['[a:children]\nb c\n', 'inv:2: one group per line in [a:children]'],
      ['[a:children]\nb\n[b:children]\na\n', 'inv:2: group "b" is its own child (b > a > b)'],
    ];
    for (const [text, message] of cases) {
      expect(failure(() => parseAnsibleIni(text, 'inv')).message).toBe(message);
    }
  });
});

describe('Ansible YAML inventory', () => {
  it('reads a kubespray-shaped inventory with nested children', () => {
    const hosts = parseAnsibleYaml(fixture('kubespray.yml'), 'kubespray.yml');
    expect(hosts).toEqual([
      { name: 'bastion', host: '198.51.100.10', user: 'ubuntu', groups: [] },
      {
        name: 'node1',
        host: '10.0.1.4',
        user: 'azureuser',
        groups: ['etcd', 'k8s_cluster', 'kube_control_plane'],
      },
      ...['node2', 'node3', 'node4'].map((name) => ({
        name,
        host: name,
        user: 'azureuser',
        groups: ['k8s_cluster', 'kube_node'],
      })),
      ...['gpu01.internal', 'gpu02.internal'].map((name) => ({
        name,
        host: name,
        user: 'azureuser',
        port: 2222,
        groups: ['gpu', 'k8s_cluster', 'kube_node'],
      })),
    ]);
  });

  it('takes top-level groups other than all, and an empty file', () => {
    const text = 'web:\n  hosts:\n    w1:\n    w2: {ansible_port: 2200}\n';
    expect(parseAnsibleYaml(text, 'inv.yml')).toEqual([
      { name: 'w1', host: 'w1', groups: ['web'] },
      { name: 'w2', host: 'w2', port: 2200, groups: ['web'] },
    ]);
    expect(parseAnsibleYaml('# nothing yet\n', 'inv.yml')).toEqual([]);
  });

  it('names the file, the line and the problem of a malformed inventory', () => {
    const shape = failure(() => parseAnsibleYaml(fixture('bad-shape.yml'), 'bad-shape.yml'));
    expect(shape.message).toBe('bad-shape.yml:5: hosts of "web" must be a mapping');
    const syntax = failure(() => parseAnsibleYaml(fixture('bad-syntax.yaml'), 'bad-syntax.yaml'));
    // An unclosed quote may span lines: YAML finds it missing at the end.
    expect(syntax.message).toBe('bad-syntax.yaml:6: not valid YAML: Missing closing "quote');
    const cases: Array<[string, string]> = [
      [
        'all:\n  host:\n    a:\n',
        'inv.yml:2: group "all" has "host"; only hosts, children and vars belong there',
      ],
      [
        'all:\n  hosts:\n    a:\n      ansible_port: 0\n',
        'inv.yml:4: ansible_port "0" is not a port between 1 and 65535',
      ],
      [
        'all:\n  children:\n    g:\n      hosts:\n        w[2:1]:\n',
        'inv.yml:5: range of "w[2:1]" runs backwards',
      ],
      ['- a\n- b\n', 'inv.yml:1: an inventory is a mapping of groups (e.g. "all:")'],
    ];
    for (const [text, message] of cases) {
      expect(failure(() => parseAnsibleYaml(text, 'inv.yml')).message).toBe(message);
    }
  });
});

describe('either format', () => {
  it('tells INI from YAML by the name, else by the first line', () => {
    expect(inventoryFormat('', 'hosts.yaml')).toBe('yaml');
    expect(inventoryFormat('all:\n', 'hosts')).toBe('yaml');
    expect(inventoryFormat('# c\n---\nall:\n', 'hosts')).toBe('yaml');
    expect(inventoryFormat('[web]\nw1\n', 'hosts')).toBe('ini');
    expect(inventoryFormat('w1 ansible_host=10.0.0.1\n', 'hosts')).toBe('ini');
    expect(inventoryFormat('w1:2222\n', 'hosts')).toBe('ini');
    expect(parseInventory(fixture('kubespray.yml'), 'inventory')).toHaveLength(7);
  });

  it('reads a file from disk, and names one that is missing', async () => {
    expect(await readHostList(join(FIXTURES, 'production.ini'), 'inventory')).toHaveLength(7);
    await expect(readHostList(join(FIXTURES, 'absent.ini'), 'inventory')).rejects.toThrow(
      /absent\.ini: no such file$/,
    );
  });
});
