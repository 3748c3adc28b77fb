import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../bundles/redact/index.js';
import { CISCO, IP_S_LINK, NETSTAT_RN, PROC_NET_ARP, SS_TNP, WINDOWS_ARP } from './corpus.js';
import { columnStarts, corpusRedactor, SECRET_A } from './helpers.js';

const TABLES = { SS_TNP, PROC_NET_ARP, NETSTAT_RN, IP_S_LINK, CISCO, WINDOWS_ARP };

describe('fixed-width tables keep their columns', () => {
  for (const [name, table] of Object.entries(TABLES)) {
    it(name, () => {
      const out = corpusRedactor().redactText(table).text;
      expect(out).not.toBe(table); // something was replaced, so the check means something
      const before = table.split('\n');
      const after = out.split('\n');
      expect(after).toHaveLength(before.length);
      before.forEach((line, i) => {
        expect(after[i]!.length, `line ${i + 1}`).toBe(line.length);
        expect(columnStarts(after[i]!), `line ${i + 1}`).toEqual(columnStarts(line));
      });
    });
  }
});

describe('tokens take the original length', () => {
  const r = createRedactor({ secret: SECRET_A });

  it('for every IPv4 length from 7 to 15 characters', () => {
    const samples = [
      '1.2.3.4',
      '10.0.0.4',
      '10.0.10.4',
      '10.20.30.4',
      '10.224.0.44',
      '100.64.100.4',
      '172.16.100.100',
      '192.168.100.100',
      '203.113.255.254',
    ];
    for (const ip of samples) {
      const out = r.redactText(`x ${ip} y`).text;
      expect(out).not.toContain(ip);
      expect(out.length, ip).toBe(ip.length + 4);
    }
  });

  it('for host, user, resource and keyword names of any length', () => {
    const names = ['abc', 'node1', 'myvm01', 'aks-agentpool-31415926-vmss00000a', 'x'.repeat(90)];
    for (const n of names) {
      const red = createRedactor({
        secret: SECRET_A,
        discovered: { hostnames: [n], users: [n], keywords: ['kw'] },
      });
      expect(red.redactText(`<${n}>`).text).toHaveLength(n.length + 2);
    }
  });

  it('for IPv6 in every spelling', () => {
    for (const a of [
      '2603:1030:40c:a::17',
      '2603:1030:040c:000a:0000:0000:0000:0017',
      'FD12:3456:789A::4',
      '2001:db8::10.1.2.3',
    ]) {
      const out = r.redactText(`[${a}]:22`).text;
      expect(out).not.toContain(a);
      expect(out.length, a).toBe(a.length + 5);
    }
  });
});
