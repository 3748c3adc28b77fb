import { describe, expect, it } from 'vitest';
import { discoverFromHost } from '../../bundles/discover.js';
import { createRedactor } from '../../bundles/redact/index.js';
import type { RawFile, SourceRecord } from '../../collectors/model.js';

const raw = (path: string, text: string): RawFile => ({
  path,
  bytes: Buffer.from(text),
  record: {} as SourceRecord,
});

const HOST = [
  raw('host/hostname.txt', 'vm01\nvm01.corp.example\n'),
  raw(
    'host/etc-hosts',
    '127.0.0.1 localhost\n::1 ip6-localhost ip6-loopback\n10.1.2.3 db_primary db.corp.example # primary\n',
  ),
  raw('host/resolv.conf', 'nameserver 168.63.129.16\nsearch corp.example # added by cloud-init\n'),
];

describe('discoverFromHost', () => {
  it('finds the names a host prints about itself, with the redactor’s own rules', () => {
    const r = createRedactor({
      secret: Buffer.alloc(32, 7),
      discovered: discoverFromHost(HOST, { spec: 'alice@vmB:2222', user: 'azureuser' }),
    });
    const text =
      'db_primary and db.corp.example on vm01, added by cloud-init; alice and azureuser on vmB; localhost stays';
    const out = r.redactText(text).text;
    // /etc/hosts aliases of any spelling, the host's own names, both users
    // (the typed one too, whether or not the host was reached).
    for (const v of ['db_primary', 'db.corp.example', 'vm01', 'alice', 'azureuser', 'vmB'])
      expect(out).not.toContain(v);
    // A comment after the search domains is not a list of domains.
    expect(out).toContain('added by cloud-init');
    expect(out).toContain('localhost stays');
  });

  it('learns the typed user and host even with no output from the host', () => {
    const d = discoverFromHost([], { spec: 'ops@10.0.0.9' });
    expect(d.users).toEqual(['ops']);
    expect(d.hostnames).toEqual(['10.0.0.9']);
    expect(discoverFromHost([], { spec: 'root@db1' }).users).toEqual([]);
  });
});
