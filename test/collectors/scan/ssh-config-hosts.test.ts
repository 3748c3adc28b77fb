import { describe, expect, it } from 'vitest';
import { sshConfigHosts } from '../../../collectors/scan/ssh-config-hosts.js';
import { parseSshConfig } from '../../../kit/ssh/config.js';

describe('--ssh-config-hosts', () => {
  const configs = [
    parseSshConfig(
      [
        'Host web-01 web-02 web-*',
        '  User a',
        'Host !web-03 web-03 db-1',
        'Match host web-04',
        'Host web-01',
        '',
      ].join('\n'),
      'user',
    ),
    parseSshConfig('Host web-05 bastion\n', 'system'),
  ];

  it('lists the concrete Host names that match, in file order, each once', () => {
    expect(sshConfigHosts(configs, 'web-*')).toEqual(['web-01', 'web-02', 'web-03', 'web-05']);
  });

  it('takes an ssh pattern list with negation', () => {
    expect(sshConfigHosts(configs, 'web-*,!web-02,db-?')).toEqual([
      'web-01',
      'web-03',
      'db-1',
      'web-05',
    ]);
    expect(sshConfigHosts(configs, 'nothing*')).toEqual([]);
  });
});
