import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../bundles/redact/index.js';
import { CISCO, IP_S_LINK, NETSTAT_RN, PROC_NET_ARP, SS_TNP, WINDOWS_ARP } from './corpus.js';
import { columnStarts, corpusRedactor, SECRET_A } from './helpers.js';

const TABLES = { SS_TNP, PROC_NET_ARP, NETSTAT_RN, IP_S_LINK, CISCO, WINDOWS_ARP };

// The cells of a line: each non-blank run, where it starts and ends, and whether a gap of two or
// more spaces (a table's padding) comes before or after it.
function cells(line: string): { start: number; end: number; padded: boolean }[] {
  return [...line.matchAll(/\S+/g)].map((m) => {
    const start = m.index;
    const end = start + m[0].length;
    return {
      start,
      end,
      padded: / {2}$/.test(line.slice(0, start)) || /^ {2}/.test(line.slice(end)),
    };
  });
}

describe('fixed-width tables keep their columns', () => {
  for (const [name, table] of Object.entries(TABLES)) {
    it(name, () => {
      const out = corpusRedactor().redactText(table).text;
      expect(out).not.toBe(table); // something was replaced, so the check means something
      const before = table.split('\n');
      const after = out.split('\n');
      expect(after).toHaveLength(before.length);
      before.forEach((line, i) => {
        const was = cells(line);
        const now = cells(after[i]!);
        expect(now, `line ${i + 1}`).toHaveLength(was.length);
        // A padded cell keeps its start (left-aligned) or its end (right-aligned, as ss aligns
        // `address:port`); so does every cell after it on the line.
        was.forEach((c, n) => {
          if (!c.padded) return;
          const kept = now[n]!.start === c.start || now[n]!.end === c.end;
          expect(kept, `line ${i + 1}, cell ${n + 1}: ${after[i]}`).toBe(true);
        });
        if (columnStarts(line).length > 1 && / {2}/.test(line.trim()))
          expect(after[i]!.length, `line ${i + 1}`).toBe(line.length);
      });
    });
  }
});

describe('tokens that take the original length', () => {
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

  it('for IPv6 in every spelling without an IPv4 tail', () => {
    const r = createRedactor({ secret: SECRET_A });
    for (const a of [
      '2603:1030:40c:a::17',
      '2603:1030:040c:000a:0000:0000:0000:0017',
      'FD12:3456:789A::4',
      '2603:1030:40c:a00::/56',
    ]) {
      const out = r.redactText(`[${a}]:22`).text;
      expect(out).not.toContain(a);
      expect(out.length, a).toBe(a.length + 5);
    }
  });
});

describe('IPv4 tokens of another width', () => {
  const r = createRedactor({ secret: SECRET_A });

  it('take the difference from the padding after a left-aligned cell', () => {
    const out = r.redactText('10.0.0.4         0x1  eth0\n203.113.255.254  0x1  eth0').text;
    const [a, b] = out.split('\n');
    expect(a!.indexOf('0x1')).toBe(17);
    expect(b!.indexOf('0x1')).toBe(17);
  });

  it('take it from the padding before a right-aligned cell', () => {
    const out = r.redactText('ESTAB 0      0          10.0.0.4:22     [::ffff:10.0.0.5]:4').text;
    expect(out.indexOf(':22 ')).toBe('ESTAB 0      0          10.0.0.4'.length);
    expect(out.endsWith(']:4')).toBe(true);
    expect(out).toHaveLength('ESTAB 0      0          10.0.0.4:22     [::ffff:10.0.0.5]:4'.length);
  });

  it('leave free text, indentation and trailing blanks alone', () => {
    const free = 'from 10.0.0.4 to 10.0.0.5';
    const out = r.redactText(free).text;
    expect(out.split(' ').map((w) => w.length > 0)).toEqual([true, true, true, true]);
    const indented = r.redactText('        10.0.0.4\n  - 10.0.0.5  \n').text;
    expect(indented).toMatch(/^ {8}\d+\.\d+\.\d+\.\d+\n {2}- \d+\.\d+\.\d+\.\d+ {2}\n$/);
  });

  it('never move a secret marker into the padding: the original length stays hidden', () => {
    const a = r.redactText('password=hunter2       next').text;
    const b = r.redactText('password=hunter2hunter2  next').text;
    expect(a.slice(a.indexOf('>'))).toBe('>       next');
    expect(b.slice(b.indexOf('>'))).toBe('>  next');
  });
});
