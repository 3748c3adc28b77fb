import { parseEthtoolStats } from '../../collectors/ethtool-stats.js';
import { parseSoftnetStat, type SoftnetRow } from '../../collectors/softnet-stat.js';

// Incremental parser of the sampler's stream: chunks arrive as SSH delivers
// them, split anywhere. Pure: state in, samples out.

export interface Sample {
  seq: number;
  // Host clock, nanoseconds since the epoch.
  hostNs: bigint;
  softnet: SoftnetRow[];
  // iface → counter → value.
  ifaces: Record<string, Record<string, bigint>>;
  ethtool?: { iface: string; stats: Record<string, bigint> };
  // The sampler's own CPU time so far, in USER_HZ (1/100 s) ticks.
  cpuTicks?: number;
}

export interface SamplerStream {
  buffer: string;
  current?: {
    seq: number;
    hostNs: bigint;
    softnet: string[];
    n: string[];
    x: string[];
    xIface?: string;
    cpu?: number;
    inX?: boolean;
  };
  warnings: string[];
}

export function newSamplerStream(): SamplerStream {
  return { buffer: '', warnings: [] };
}

export function feedSampler(st: SamplerStream, chunk: string): Sample[] {
  st.buffer += chunk;
  const out: Sample[] = [];
  let nl = st.buffer.indexOf('\n');
  while (nl >= 0) {
    const line = st.buffer.slice(0, nl);
    st.buffer = st.buffer.slice(nl + 1);
    nl = st.buffer.indexOf('\n');
    if (line.startsWith('S ')) {
      const [, seq, ns] = line.split(' ');
      if (st.current) st.warnings.push(`sample ${st.current.seq} has no end marker`);
      st.current = /^\d+$/.test(ns ?? '')
        ? { seq: Number(seq), hostNs: BigInt(ns!), softnet: [], n: [], x: [] }
        : undefined;
      continue;
    }
    const c = st.current;
    if (!c) continue;
    if (line === 'E') {
      out.push(finish(c));
      st.current = undefined;
    } else if (line.startsWith('N ')) c.n.push(line.slice(2));
    else if (line.startsWith('C ')) c.cpu = Number(line.slice(2));
    else if (line.startsWith('X< ')) {
      c.xIface = line.slice(3);
      c.inX = true;
    } else if (line === 'X>') c.inX = false;
    else if (c.inX) c.x.push(line);
    else c.softnet.push(line);
  }
  return out;
}

function finish(c: NonNullable<SamplerStream['current']>): Sample {
  const ifaces: Record<string, Record<string, bigint>> = {};
  for (const l of c.n) {
    const m = /^([^/\s]+)\/(\S+) (\d+)$/.exec(l);
    if (!m) continue;
    const entry = ifaces[m[1]!] ?? {};
    entry[m[2]!] = BigInt(m[3]!);
    ifaces[m[1]!] = entry;
  }
  const s: Sample = {
    seq: c.seq,
    hostNs: c.hostNs,
    softnet: parseSoftnetStat(c.softnet.join('\n')).value.rows,
    ifaces,
  };
  if (c.cpu !== undefined && Number.isFinite(c.cpu)) s.cpuTicks = c.cpu;
  if (c.x.length && c.xIface)
    s.ethtool = { iface: c.xIface, stats: parseEthtoolStats(c.x.join('\n')).value.stats };
  return s;
}
