import { type Contribution, intoSnapshot } from './contribution.js';
import { parseU64 } from './counter.js';
import { getOwn, setOwn } from './own-record.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { quote, splitLines } from './text-lines.js';

// /proc/net/snmp and /proc/net/netstat print pairs of lines per group:
//   Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors ...
//   Udp: 1234 0 0 1200 17 ...
// Returns group → counter → value. Negative values (Tcp MaxConn is -1) are
// gauges/constants, not counters, and are skipped.
export type SnmpCounters = Record<string, Record<string, bigint>>;

export function parseProcNetSnmp(text: string): ParseResult<SnmpCounters> {
  const warnings = new WarningList();
  const result: SnmpCounters = {};
  const lines = splitLines(text).filter((l) => l.trim() !== '');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const head = lines[i]!.trim().split(/\s+/);
    const vals = lines[i + 1]!.trim().split(/\s+/);
    const group = head[0]?.replace(/:$/, '') ?? '';
    // A values line where a header should be (a cut capture): skip it alone.
    const headerIsValues = head.length > 1 && /^-?\d+$/.test(head[1]!);
    if (!head[0]?.endsWith(':') || vals[0] !== head[0] || headerIsValues) {
      warnings.add(`line pair ${i + 1}: header and values do not match: ${quote(lines[i]!)}`);
      // Resynchronise on the next header line.
      i -= 1;
      continue;
    }
    const entry = getOwn(result, group) ?? {};
    setOwn(result, group, entry);
    head.slice(1).forEach((name, k) => {
      const v = parseU64(vals[k + 1] ?? '');
      if (v !== undefined) setOwn(entry, name, v);
    });
    if (vals.length !== head.length)
      warnings.add(`${group}: ${head.length - 1} names but ${vals.length - 1} values`);
  }
  return { value: result, warnings: warnings.done() };
}

// Both files feed one group → counter map; a group in both keeps the later
// file's (/proc/net/netstat, in registry order).
const intoSnmp: Contribution = intoSnapshot(parseProcNetSnmp, (groups, d) => {
  d.fields.snmp = { ...d.fields.snmp, ...groups };
});

export const snmpCollector: CollectorSpec = {
  id: 'snmp',
  description: 'IP/UDP/TCP protocol counters, e.g. Udp RcvbufErrors (/proc/net/snmp)',
  source: { kind: 'file', path: '/proc/net/snmp' },
  scope: 'global',
  rawPath: 'proc/net/snmp',
  sos: ['proc/net/snmp'],
  model: intoSnmp,
};

export const netstatCollector: CollectorSpec = {
  id: 'netstat',
  description: 'extended TCP/IP counters, e.g. TcpExt TCPBacklogDrop (/proc/net/netstat)',
  source: { kind: 'file', path: '/proc/net/netstat' },
  scope: 'global',
  rawPath: 'proc/net/netstat',
  sos: ['proc/net/netstat'],
  model: intoSnmp,
};
