import { parseEthtoolStats } from '../../collectors/ethtool-stats.js';
import { isValidIfaceName, shownName } from '../../collectors/iface-name.js';
import { getOwn, setOwn } from '../../collectors/own-record.js';
import { parseProcNetDev } from '../../collectors/proc-net-dev.js';
import { type CpuTimes, parseProcStatCpus } from '../../collectors/proc-stat.js';
import { parseSoftnetStat, type SoftnetRow } from '../../collectors/softnet-stat.js';
import { readSnmpLine, type SnmpColumns } from './snmp.js';

// Incremental parser of the sampler's stream: chunks arrive as SSH delivers
// them, split anywhere. Pure: state in, samples out.

export interface Sample {
  seq: number;
  // Host clock, nanoseconds since the epoch.
  hostNs: bigint;
  softnet: SoftnetRow[];
  // iface → counter → value: every interface's /proc/net/dev columns, under
  // their sysfs names where the column is that counter (proc-net-dev.ts),
  // and for the watched interfaces the sysfs counters those columns sum
  // (script.ts SUMMED_COUNTERS).
  ifaces: Record<string, Record<string, bigint>>;
  // ethtool -S at the slow rate: the data interface, then its VF (the
  // device-backed lower devices, script.ts). An interface that vanished
  // between the glob and ethtool (Azure removes the VF during host
  // servicing) has no entry.
  ethtool?: Array<{ iface: string; stats: Record<string, bigint> }>;
  // /proc/stat at the slow rate: softirq and steal ticks (USER_HZ) per CPU.
  cpuTimes?: CpuTimes[];
  // The sampler's own CPU time so far, in USER_HZ (1/100 s) ticks.
  cpuTicks?: number;
  // Protocol counters (snmp.ts SNMP_COUNTERS): group → counter → value. Every
  // sample under bash, about once a second under POSIX sh.
  snmp?: Record<string, Record<string, bigint>>;
}

export interface SamplerStream {
  // The frame marker the script was built with: only lines that start with it
  // begin, end or delimit a sample.
  boundary: string;
  buffer: string;
  current?: {
    seq: number;
    hostNs: bigint;
    softnet: string[];
    d: string[];
    n: string[];
    // One block per ethtool -S, in the order printed.
    x: Array<{ iface: string; lines: string[] }>;
    cpu?: number;
    inX?: boolean;
    // Inside the /proc/net/dev block.
    inD?: boolean;
    p: string[];
    t: string[];
  };
  // The protocol counters' columns, from the names lines of the first sample.
  snmpColumns: SnmpColumns;
  warnings: string[];
}

export function newSamplerStream(boundary: string): SamplerStream {
  return { boundary, buffer: '', snmpColumns: {}, warnings: [] };
}

// `<B> TAG rest` → [TAG, rest]; anything else is a plain line.
function marker(line: string, boundary: string): [string, string] | undefined {
  if (!line.startsWith(`${boundary} `)) return undefined;
  const rest = line.slice(boundary.length + 1);
  const sp = rest.indexOf(' ');
  return sp < 0 ? [rest, ''] : [rest.slice(0, sp), rest.slice(sp + 1)];
}

export function feedSampler(st: SamplerStream, chunk: string): Sample[] {
  const buf = st.buffer + chunk;
  const out: Sample[] = [];
  // Lines are cut from the joined text by position, and the rest kept once at
  // the end: a sample of a node with 100 pods is 15 KB of lines.
  let start = 0;
  for (let nl = buf.indexOf('\n'); nl >= 0; start = nl + 1, nl = buf.indexOf('\n', start)) {
    const line = buf.slice(start, nl);
    const m = marker(line, st.boundary);
    if (m?.[0] === 'S') {
      const [seq, ns] = m[1].split(' ');
      if (st.current) st.warnings.push(`sample ${st.current.seq} has no end marker`);
      st.current =
        /^\d+$/.test(seq ?? '') && /^\d+$/.test(ns ?? '')
          ? {
              seq: Number(seq),
              hostNs: BigInt(ns!),
              softnet: [],
              d: [],
              n: [],
              x: [],
              p: [],
              t: [],
            }
          : undefined;
      continue;
    }
    const c = st.current;
    if (!c) continue;
    if (m?.[0] === 'E') {
      out.push(finish(c, st.snmpColumns, st.warnings));
      st.current = undefined;
    } else if (m?.[0] === 'X<') {
      // One more than the script prints, so that a forged extra one is seen and named.
      if (c.x.length <= MAX_ETHTOOL_BLOCKS) c.x.push({ iface: m[1], lines: [] });
      c.inX = true;
    } else if (m?.[0] === 'X>') c.inX = false;
    else if (m?.[0] === 'D<') c.inD = true;
    else if (m?.[0] === 'D>') c.inD = false;
    else if (c.inD) c.d.push(line);
    else if (c.inX) {
      if (c.x.length <= MAX_ETHTOOL_BLOCKS) c.x.at(-1)?.lines.push(line);
    } else if (m?.[0] === 'C') c.cpu = Number(m[1]);
    else if (line.startsWith('N ')) c.n.push(line.slice(2));
    else if (line.startsWith('P ')) c.p.push(line.slice(2));
    else if (line.startsWith('T ')) c.t.push(line.slice(2));
    else c.softnet.push(line);
  }
  st.buffer = buf.slice(start);
  return out;
}

// The script reads the data interface and at most 4 lower devices.
const MAX_ETHTOOL_BLOCKS = 5;
// A forged stream must not grow the warnings without bound.
const MAX_STREAM_WARNINGS = 50;

function finish(
  c: NonNullable<SamplerStream['current']>,
  columns: SnmpColumns,
  warnings: string[],
): Sample {
  // Names come from the host: `__proto__` is a valid interface name.
  const ifaces: Record<string, Record<string, bigint>> = {};
  if (c.d.length)
    for (const i of parseProcNetDev(c.d.join('\n')).value.interfaces)
      if (isValidIfaceName(i.name)) setOwn(ifaces, i.name, i.counters);
  for (const l of c.n) {
    const m = /^([^/\s]+)\/(\S+) (\d+)$/.exec(l);
    if (!m) continue;
    const entry = getOwn(ifaces, m[1]!) ?? {};
    setOwn(entry, m[2]!, BigInt(m[3]!));
    setOwn(ifaces, m[1]!, entry);
  }
  const s: Sample = {
    seq: c.seq,
    hostNs: c.hostNs,
    softnet: parseSoftnetStat(c.softnet.join('\n')).value.rows,
    ifaces,
  };
  if (c.cpu !== undefined && Number.isFinite(c.cpu)) s.cpuTicks = c.cpu;
  const snmp: Record<string, Record<string, bigint>> = {};
  for (const l of c.p) {
    const r = readSnmpLine(columns, l);
    if (r) snmp[r.group] = r.values;
  }
  if (Object.keys(snmp).length) s.snmp = snmp;
  const ethtool = ethtoolBlocks(c.x, c.seq, warnings);
  if (ethtool.length) s.ethtool = ethtool;
  if (c.t.length) {
    const cpus = parseProcStatCpus(c.t.join('\n')).value;
    if (cpus.length) s.cpuTimes = cpus;
  }
  return s;
}

// Names come from the host: one the kernel would refuse is forged, and is
// dropped (its counters would become series keys); so is a repeated one. An
// empty block is an interface that vanished between the glob and ethtool.
function ethtoolBlocks(
  blocks: ReadonlyArray<{ iface: string; lines: string[] }>,
  seq: number,
  warnings: string[],
): NonNullable<Sample['ethtool']> {
  const out: NonNullable<Sample['ethtool']> = [];
  for (const [i, b] of blocks.entries()) {
    if (
      i >= MAX_ETHTOOL_BLOCKS ||
      !isValidIfaceName(b.iface) ||
      out.some((e) => e.iface === b.iface)
    ) {
      if (warnings.length < MAX_STREAM_WARNINGS)
        warnings.push(
          `sample ${seq}: ethtool -S of ${shownName(b.iface)} ignored: not an interface name, repeated, or one too many`,
        );
      continue;
    }
    const stats = parseEthtoolStats(b.lines.join('\n')).value.stats;
    if (Object.keys(stats).length) out.push({ iface: b.iface, stats });
  }
  return out;
}
