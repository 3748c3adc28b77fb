import { parseU64 } from '../../collectors/counter.js';
import { getOwn, setOwn } from '../../collectors/own-record.js';

// The protocol counters the sampler follows, from /proc/net/snmp (Udp, Tcp)
// and /proc/net/netstat (TcpExt): those that count a loss or an error the
// diagnosis reads (collectors/diagnosis/drivers/generic.ts SNMP_RULES), and
// TCP's retransmissions. Series keys are `snmp.<group>.<counter>`, the
// diagnosis's own naming (observe-counters.ts), so a finding on
// `Udp RcvbufErrors` gets its window and peak rate from the series.
export const SNMP_COUNTERS: Readonly<Record<string, readonly string[]>> = {
  Udp: ['InErrors', 'RcvbufErrors', 'SndbufErrors', 'NoPorts', 'InCsumErrors', 'MemErrors'],
  Tcp: ['RetransSegs', 'InErrs'],
  TcpExt: ['ListenOverflows', 'ListenDrops', 'TCPBacklogDrop', 'TCPRcvQDrop'],
};

// Where each followed counter sits in its group's values line, learned from
// the names line the sampler prints once, in its first sample (the names never
// change while the host runs; the TcpExt one is 3 KB).
export type SnmpColumns = Record<string, Array<[name: string, index: number]>>;

// `Udp: InDatagrams NoPorts …` (names) or `Udp: 292561 0 …` (values), as the
// kernel prints them: the names line records the columns; a values line gives
// the followed counters. Anything else (another group, a values line before
// its names, a value that is not a u64) gives nothing.
export function readSnmpLine(
  columns: SnmpColumns,
  line: string,
): { group: string; values: Record<string, bigint> } | undefined {
  const fields = line.trim().split(/\s+/);
  const group = fields[0]?.endsWith(':') ? fields[0].slice(0, -1) : '';
  const wanted = getOwn(SNMP_COUNTERS, group);
  if (!wanted || fields.length < 2) return undefined;
  if (!/^-?\d+$/.test(fields[1]!)) {
    setOwn(
      columns,
      group,
      wanted.flatMap((n) => {
        const i = fields.indexOf(n, 1);
        return i > 0 ? [[n, i] as [string, number]] : [];
      }),
    );
    return undefined;
  }
  const cols = getOwn(columns, group);
  if (!cols) return undefined;
  const values: Record<string, bigint> = {};
  for (const [name, i] of cols) {
    const v = parseU64(fields[i] ?? '');
    if (v !== undefined) values[name] = v;
  }
  return { group, values };
}
