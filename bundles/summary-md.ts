import { driverLabel } from '../collectors/diagnosis/drivers/index.js';
import { byText } from '../kit/compare.js';
import { terminalField as field, terminalGuard } from '../kit/terminal-text.js';
import { thousands } from '../kit/thousands.js';
import { mdTable } from './md-table.js';
import type { HostSummary, Summary } from './summary.js';

// summary.md: the first screen answers "what is wrong, where, and what do I
// change"; details per host follow. Pure.
//
// People `cat` it and `collect show` prints it, and most of it is what the
// hosts said (names, versions, errors): each such value is escaped as a field
// (kit/terminal-text.ts), so the file holds no control character and none
// can start a line; summary.json keeps the values as they were.

const n = (v: bigint | number | undefined | null) =>
  v === undefined || v === null ? '-' : thousands(v);
// Settings (MTU, ring sizes) are written as ip and ethtool print and take
// them: 1500, not 1,500.
const plain = (v: number | undefined | null) => (v === undefined || v === null ? '-' : String(v));

function uptime(sec: number | undefined): string {
  if (sec === undefined) return '';
  const d = Math.floor(sec / 86400);
  const h = Math.floor((sec % 86400) / 3600);
  return `, up ${d ? `${d}d ` : ''}${h}h`;
}

const TITLE: Record<Summary['kind'], string> = {
  node: 'node evidence',
  repro: 'packet-loss reproduction',
  compare: 'packet-loss comparison',
  scan: 'fleet scan',
};
// Where a host's raw outputs are, by kind.
const RAW_AT: Record<Summary['kind'], string> = {
  node: 'hosts/<host>/',
  repro: 'hosts/<host>/{before,after}/',
  compare: 'hosts/<host>/<run>/{before,after}/',
  scan: 'hosts/<host>/{before,after}/',
};

// extraTop and extraDetails (the reproduction's sections) are lines: each
// stays one line, whatever a host name or an error in it holds. `opening`
// comes before the findings (a comparison opens with its table). `rawAt`:
// where the snapshots are, when not at the place of the kind's bundle.
export function renderSummaryMd(
  s: Summary,
  extraTop: string[] = [],
  extraDetails: string[] = [],
  opening: string[] = [],
  rawAt: string = RAW_AT[s.kind],
): string {
  const lines = (l: string[]) => l.map((x) => terminalGuard(x, { oneLine: true }));
  const title = TITLE[s.kind];
  const hostLine = s.hosts
    .map((h) => `${field(h.host)} (${field(h.status)}${h.error ? `: ${field(h.error)}` : ''})`)
    .join(', ');
  const out: string[] = [
    `# dropkit ${title}`,
    '',
    `Case ${field(s.caseId ?? '(none)')} · created ${field(s.createdAt)} · status **${field(s.status.toUpperCase())}** · hosts: ${hostLine}`,
  ];
  if (s.shared)
    out.push(
      '',
      `Shared in clear at the operator's request (--share-identity): ${field(s.shared.file)} holds ${s.shared.fields.map(field).join(', ')}. Everything else is pseudonymised.`,
    );
  if (s.note) out.push('', `Note: ${field(s.note)}`);
  out.push(...lines(opening));
  out.push('', '## Findings', '');
  if (s.findings.length) {
    for (const f of s.findings) out.push(`- **${field(f.class)}** ${field(f.line)}`);
  } else {
    out.push('No counter that indicates loss moved: no finding.');
    if (s.checked.length) out.push('', `Checked: ${s.checked.map(field).join(', ')}.`);
  }
  out.push(...lines(extraTop));
  out.push('', '## Loss counters at a glance (since boot)', '');
  const folds = s.hosts.map((h) => ({ h, ...foldVethLoss(h) }));
  const glance = folds.flatMap(({ h, loss }) => [
    ...loss.map((l) => [
      h.host,
      l.iface,
      `${l.source === 'ethtool' ? 'ethtool ' : ''}${l.counter}`,
      n(l.value),
    ]),
    ...h.softnet
      .filter((r) => r.dropped > 0n || r.timeSqueeze > 0n)
      .map((r) => [
        h.host,
        `cpu${r.cpu}`,
        'softnet dropped / time_squeeze',
        `${n(r.dropped)} / ${n(r.timeSqueeze)}`,
      ]),
  ]);
  out.push(
    ...(glance.length
      ? mdTable(['host', 'where', 'counter', 'value'], glance)
      : ['Every loss counter is zero.']),
  );
  for (const { h, folded } of folds)
    if (folded)
      out.push(
        '',
        `${field(h.host)}: and ${n(BigInt(folded.counters))} more counters above 0 on ${folded.ifaces.length} more veths (${folded.ifaces.slice(0, 3).map(field).join(', ')}, …), each at most ${n(folded.max)}: every one is in summary.json.`,
      );
  for (const f of s.findings) {
    out.push(
      '',
      `### ${field(f.class)} on ${field(f.host)} (${field(f.severity)}, confidence ${field(f.confidence)})`,
      '',
      // One paragraph: a newline in a name must not start a line of its own.
      field(f.explanation),
    );
    if (f.unknown.length)
      out.push(
        '',
        `Not read: ${f.unknown.map((u) => `\`${field(u)}\``).join(', ')}. The fix does not assume a value: it reads it first.`,
      );
    if (f.evidence.length) out.push('', 'Evidence:', ...f.evidence.map((e) => `- ${field(e)}`));
    // One command per line: a newline inside one must not add a command.
    if (f.fix.length) out.push('', 'Fix now:', '', '```sh', ...f.fix.map(field), '```');
    if (f.persistent.length)
      out.push('', 'Make it persistent:', '', '```', ...f.persistent.map(field), '```');
  }
  out.push(...lines(extraDetails));
  for (const { h, ...fold } of folds) out.push('', ...hostSection(h, fold));
  const where = rawAt;
  out.push(
    '',
    '---',
    `Raw outputs are under \`${where}raw/\`, parsed ones in \`${where}snapshot.json\`; \`manifest.json\` lists every file with its sha256 and source. ${
      s.redacted
        ? `Addresses, MACs, host and user names are pseudonymised consistently across the case.${
            s.kept?.length
              ? ` Left readable at the operator's request (--keep): ${s.kept.map(field).join(', ')}.`
              : ''
          }`
        : 'Redaction was OFF: addresses, names and any secrets the hosts printed are as they were.'
    }`,
  );
  // Nothing should be left to escape here; the guard makes sure of it.
  return terminalGuard(`${out.join('\n')}\n`);
}

function hostSection(h: HostSummary, fold: VethFold): string[] {
  const out = [`## Host ${field(h.host)}`, ''];
  if (h.status === 'failed')
    return [...out, `Not collected: ${field(h.error ?? 'unknown error')}.`];
  const y = h.system ?? {};
  const cloud = y.vmSize
    ? `, ${field(y.vmSize)}${y.location ? ` in ${field(y.location)}` : ''}${y.zone ? ` zone ${field(y.zone)}` : ''}`
    : '';
  out.push(
    `${field(y.os ?? 'unknown OS')}, kernel ${field(y.kernel ?? '?')}, ${field(String(y.cpus ?? '?'))} CPUs${y.cpuModel ? ` (${field(y.cpuModel)})` : ''}${cloud}${uptime(y.uptimeSec)}`,
  );
  out.push('', '### NICs', '');
  const { shown, folded } = foldIdleVeths(h, fold);
  out.push(
    ...mdTable(
      [
        'interface',
        'kind',
        'driver',
        'firmware',
        'bus',
        'MTU',
        'state',
        'RX ring (max)',
        'TX ring (max)',
      ],
      shown.map((i) => [
        i.name + (i.master ? ` (in ${i.master})` : ''),
        i.kind,
        i.driver ? driverLabel({ name: i.driver, source: i.driverSource ?? 'reported' }) : '-',
        i.firmware ?? '-',
        i.busInfo ?? '-',
        plain(i.mtu),
        i.state ?? '-',
        i.ring
          ? `${plain(i.ring.rx)} (${plain(i.ring.rxMax)})${i.ring.rx !== null && i.ring.rxMax !== null && i.ring.rx < i.ring.rxMax ? ' ↑' : ''}`
          : '-',
        i.ring ? `${plain(i.ring.tx)} (${plain(i.ring.txMax)})` : '-',
      ]),
    ),
  );
  if (folded.length)
    out.push(
      '',
      `And ${folded.length} more veths with ${fold.folded ? 'fewer losses than those above, or none' : 'no loss counter above 0'} (${folded.slice(0, 3).map(field).join(', ')}, …): every one is in summary.json.`,
    );
  const pairs = h.nics.filter((i) => i.pairing);
  if (pairs.length)
    out.push('', ...pairs.map((i) => `- ${field(i.name)}: ${field(i.pairing ?? '')}`));
  if (
    h.nics.some(
      (i) => i.ring && i.ring.rx !== null && i.ring.rxMax !== null && i.ring.rx < i.ring.rxMax,
    )
  ) {
    out.push('', '↑ the RX ring is below its preset maximum.');
  }
  out.push('', '### Key sysctls', '');
  const sys = Object.entries(h.sysctls);
  out.push(
    ...(sys.length
      ? sys.map(([k, v]) => `- \`${field(k)} = ${field(v.replace(/\s+/g, ' '))}\``)
      : ['(not visible on this host)']),
  );
  out.push('', '### softnet_stat per CPU', '');
  out.push(
    ...mdTable(
      ['CPU', 'processed', 'dropped', 'time_squeeze', 'flow_limit'],
      h.softnet.map((r) => [
        String(r.cpu),
        n(r.processed),
        n(r.dropped),
        n(r.timeSqueeze),
        n(r.flowLimitCount),
      ]),
    ),
  );
  if (h.notCollected.length) {
    out.push('', '### Not collected', '');
    for (const c of h.notCollected)
      out.push(
        `- ${field(c.source)}: ${field(c.reason)}${c.ifaces.length ? ` (${c.ifaces.map(field).join(', ')})` : ''}`,
      );
  }
  if (h.skipped?.length) {
    out.push('', '### Not read, by design', '');
    // A node has hundreds of idle veths: a count and the first few names.
    for (const c of h.skipped)
      out.push(
        `- ${field(c.source)} on ${c.ifaces.length} interface(s): ${field(c.reason)} (${c.ifaces.slice(0, 5).map(field).join(', ')}${c.ifaces.length > 5 ? ', …' : ''})`,
      );
  }
  return out;
}

// A node has a veth per pod: past a handful, only the veths that lost the
// most since boot are shown, in the loss table and in the NIC table, so the
// data interface and the veths that matter stay in view. On a node up for
// days, most veths have a few drops each (a pod's IPv6 multicast, a pod
// deleted mid-packet): shown one by one they took hundreds of rows.
const SHOWN_VETHS = 8;

// The since-boot loss rows to show for a host, and what is folded: the veths
// past the SHOWN_VETHS that lost the most (their counters summed).
interface VethFold {
  loss: HostSummary['loss'];
  shownVeths: ReadonlySet<string>;
  folded?: { ifaces: string[]; counters: number; max: bigint };
}

function foldVethLoss(h: HostSummary): VethFold {
  const veths = new Set(h.nics.filter((i) => i.kind === 'veth').map((i) => i.name));
  const total = new Map<string, bigint>();
  for (const l of h.loss)
    if (veths.has(l.iface)) total.set(l.iface, (total.get(l.iface) ?? 0n) + l.value);
  const ranked = [...total.entries()]
    .sort(([a, x], [b, y]) => (x === y ? byText(a, b) : x > y ? -1 : 1))
    .map(([name]) => name);
  const shownVeths = new Set(ranked.slice(0, SHOWN_VETHS));
  if (ranked.length <= SHOWN_VETHS) return { loss: h.loss, shownVeths };
  const hidden = (l: HostSummary['loss'][number]) => veths.has(l.iface) && !shownVeths.has(l.iface);
  const rest = h.loss.filter(hidden);
  let max = 0n;
  for (const l of rest) if (l.value > max) max = l.value;
  return {
    loss: h.loss.filter((l) => !hidden(l)),
    shownVeths,
    folded: {
      ifaces: ranked.slice(SHOWN_VETHS),
      counters: rest.length,
      max,
    },
  };
}

// The NIC table shows the veths the loss table shows (`fold`), the others in one line.
function foldIdleVeths(
  h: HostSummary,
  { shownVeths }: VethFold,
): {
  shown: HostSummary['nics'];
  folded: string[];
} {
  const veths = h.nics.filter((i) => i.kind === 'veth');
  if (veths.length <= SHOWN_VETHS) return { shown: h.nics, folded: [] };
  const idle = (i: HostSummary['nics'][number]) => i.kind === 'veth' && !shownVeths.has(i.name);
  return {
    shown: h.nics.filter((i) => !idle(i)),
    folded: h.nics.filter(idle).map((i) => i.name),
  };
}
