// What dropkit's on-host scripts print, built in their real frame formats so
// the real parsers read it: the snapshot (collectors/snapshot/frames.ts), the
// sampler (repro/sampler/script.ts) and the tracer (collectors/trace/script.ts).

// The unguessable boundary a script was built with.
export function boundaryOf(script: string): string {
  const b = /DKB-[0-9a-f]{32}/.exec(script)?.[0];
  if (!b) throw new Error('no frame boundary in the script');
  return b;
}

export interface SectionOutput {
  id: string;
  iface?: string;
  body: string;
  rc?: number;
}

// The snapshot script's stdout: every section framed, with its exit code.
export function snapshotOutput(script: string, sections: readonly SectionOutput[]): string {
  const b = boundaryOf(script);
  const ns = `${BigInt(Date.now()) * 1_000_000n}`;
  return sections
    .map((s) => {
      const iface = s.iface ?? '-';
      return `${b} begin ${s.id} ${iface} ${ns}\n${s.body}\n${b} end ${s.id} ${iface} rc=${s.rc ?? 0} ns=${ns}\n`;
    })
    .join('');
}

export interface SampleOutput {
  hostNs: bigint;
  // /proc/net/softnet_stat as the host printed it.
  softnet: string;
  // iface/counter → value, from /sys/class/net/*/statistics.
  counters: Record<string, bigint>;
  // A slow-rate sample: ethtool -S per interface (the data interface, then its VF), as printed.
  ethtool?: Array<[iface: string, text: string]>;
  // A slow-rate sample: /proc/stat as the host printed it (its cpuN lines go out).
  procStat?: string;
}

// The sampler's stdout for these samples, numbered from `firstSeq`.
export function samplerOutput(
  script: string,
  samples: readonly SampleOutput[],
  firstSeq = 0,
): string {
  const b = boundaryOf(script);
  return samples
    .map((s, i) => {
      const n = Object.entries(s.counters).map(([k, v]) => `N ${k} ${v}\n`);
      const x = (s.ethtool ?? []).map(([iface, text]) => `${b} X< ${iface}\n${text}\n${b} X>\n`);
      const t = (s.procStat ?? '')
        .split('\n')
        .filter((l) => /^cpu\d/.test(l))
        .map((l) => `T ${l}\n`);
      return `${b} S ${firstSeq + i} ${s.hostNs}\n${s.softnet.trimEnd()}\n${n.join('')}${x.join('')}${t.join('')}${b} E\n`;
    })
    .join('');
}

export interface TraceInterval {
  uptime: number;
  drops: Array<{ count: number; reason: string | null; location: string }>;
}

// The tracer's opening: the event's format file, framed.
export function traceFormat(format: string): string {
  return `F<\n${format}\nF>\n`;
}

// One aggregated interval of the tracer.
export function traceInterval(t: TraceInterval): string {
  const lines = t.drops.map((d) => `I ${d.count} ${d.reason ?? '-'} ${d.location}\n`);
  return `${lines.join('')}T ${t.uptime}\n`;
}

// The tracer's last line, after its instance is removed.
export function traceEnd(overruns = 0): string {
  return `O ${overruns}\n`;
}
