import { driverLabel, knownDriver } from '../../collectors/diagnosis/drivers/index.js';
import {
  isDriverLossCounter,
  isSnmpLossCounter,
} from '../../collectors/diagnosis/loss-counters.js';
import type { Snapshot } from '../../collectors/model.js';
import type { SnapshotDelta } from '../../collectors/snapshot-delta.js';
import { terminalField as field } from '../terminal-text.js';
import { num, table } from './table.js';

// Every value here comes from a host or an archive: escaped as a field (the
// tables escape their cells), so none can move the cursor or start a line.
function header(s: Snapshot): string {
  const f = s.facts;
  const cloud = f.cloud?.vmSize
    ? `, ${field(f.cloud.vmSize)}${f.cloud.location ? ` in ${field(f.cloud.location)}` : ''}`
    : '';
  return `${field(s.host)}: ${field(f.os ?? 'unknown OS')}, kernel ${field(f.kernelRelease ?? '?')}, ${field(String(f.cpus ?? '?'))} CPUs${cloud}; taken ${field(s.takenAt)}`;
}

function ringText(r: Snapshot['interfaces'][number]['ring']): string {
  if (!r || r.rx === null) return '-';
  return `${r.rx}/${r.rxMax ?? '?'}`;
}

export function formatSnapshot(s: Snapshot): string {
  const out = [header(s), ''];
  const rows = s.interfaces.map((i) => [
    i.name +
      (i.acceleratedNetworking
        ? i.acceleratedNetworking.role === 'vf'
          ? ' (VF)'
          : ' (synthetic)'
        : ''),
    driverCell(i.driver, i.ethtool),
    i.kind,
    num(i.kernel['rx_packets']),
    num(i.kernel['rx_dropped']),
    num(i.kernel['rx_missed_errors']),
    num(i.kernel['rx_errors']),
    num(i.kernel['tx_dropped']),
    ringText(i.ring),
  ]);
  out.push(
    table(
      [
        'IFACE',
        'DRIVER',
        'KIND',
        'RX_PACKETS',
        'RX_DROPPED',
        'RX_MISSED',
        'RX_ERRORS',
        'TX_DROPPED',
        'RING_RX/MAX',
      ],
      rows,
      3,
    ),
  );
  const driverLoss = s.interfaces.flatMap((i) => {
    const read = { kind: i.kind, driver: knownDriver(i.driver, i.ethtool)?.name };
    return Object.entries(i.ethtool ?? {})
      .filter(([k, v]) => v > 0n && isDriverLossCounter(read, k))
      .map(([k, v]) => [i.name, k, num(v)]);
  });
  if (driverLoss.length)
    out.push(
      '',
      'driver loss counters (ethtool -S, since boot):',
      table(['IFACE', 'COUNTER', 'VALUE'], driverLoss, 2),
    );
  out.push(
    '',
    softnetTable(
      s.softnet.map((r) => [
        r.cpu,
        r.processed,
        r.dropped,
        r.timeSqueeze,
        r.flowLimitCount,
        r.backlogLen,
      ]),
    ),
  );
  const failed = s.sources.filter((x) => !x.ok);
  if (failed.length) {
    // Grouped: "ethtool_g not supported by the driver: veth0, veth1, …" reads
    // better than one line per interface.
    const groups = new Map<string, string[]>();
    for (const f of failed) {
      const k = `${field(f.id)}: ${field(String(f.reason))}`;
      groups.set(k, [...(groups.get(k) ?? []), ...(f.iface ? [field(f.iface)] : [])]);
    }
    out.push('', 'not collected:');
    for (const [k, ifaces] of groups)
      out.push(`  ${k}${ifaces.length ? ` (${ifaces.join(', ')})` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

// The driver the host named, else the one the counter names give, said to be inferred.
function driverCell(
  reported: string | undefined,
  ethtool: Readonly<Record<string, unknown>> | undefined,
): string {
  const d = knownDriver(reported, ethtool);
  return d ? driverLabel(d) : '-';
}

function softnetTable(
  rows: Array<[number, bigint, bigint, bigint, bigint | undefined, bigint | undefined]>,
): string {
  return table(
    ['CPU', 'PROCESSED', 'DROPPED', 'TIME_SQUEEZE', 'FLOW_LIMIT', 'BACKLOG_LEN'],
    rows.map(([cpu, p, d, t, f, b]) => [String(cpu), num(p), num(d), num(t), num(f), num(b)]),
    0,
  );
}

export function formatDelta(d: SnapshotDelta): string {
  const out = [
    // 0: no time of its own, two clocks, or under a second (snapshot-delta.ts).
    `${field(d.host)}: deltas ${d.intervalSec > 0 ? `over ${d.intervalSec.toFixed(1)} s` : 'with the interval unknown, no rates'} (${field(d.from)} → ${field(d.to)})`,
    '',
  ];
  const k = (m: SnapshotDelta['interfaces'][number]['kernel'], n: string) => m.deltas[n]?.delta;
  out.push(
    table(
      [
        'IFACE',
        'DRIVER',
        'RX_PACKETS',
        'RX_DROPPED',
        'RX_MISSED',
        'RX_ERRORS',
        'TX_DROPPED',
        'NOTE',
      ],
      d.interfaces.map((i) => [
        i.name,
        driverCell(i.driver, i.ethtool?.deltas),
        num(k(i.kernel, 'rx_packets')),
        num(k(i.kernel, 'rx_dropped')),
        num(k(i.kernel, 'rx_missed_errors')),
        num(k(i.kernel, 'rx_errors')),
        num(k(i.kernel, 'tx_dropped')),
        i.presence
          ? `interface ${i.presence}`
          : i.kernel.resets.length
            ? `RESET: ${i.kernel.resets.slice(0, 3).join(', ')}`
            : '',
      ]),
      2,
    ),
  );
  const moved = d.interfaces.flatMap((i) => {
    const read = { kind: i.kind, driver: knownDriver(i.driver, i.ethtool?.deltas)?.name };
    return Object.entries(i.ethtool?.deltas ?? {})
      .filter(([name, v]) => v.delta > 0n && isDriverLossCounter(read, name))
      .map(([name, v]) => [
        i.name,
        name,
        num(v.delta),
        v.ratePerSec !== undefined ? `${v.ratePerSec.toFixed(1)}/s` : '-',
      ]);
  });
  if (moved.length)
    out.push(
      '',
      'driver loss counters that moved:',
      table(['IFACE', 'COUNTER', 'DELTA', 'RATE'], moved, 2),
    );
  out.push(
    '',
    softnetTable(
      d.softnet.rows.map((r) => [
        r.cpu,
        r.processed.delta,
        r.dropped.delta,
        r.timeSqueeze.delta,
        r.flowLimitCount?.delta,
        undefined,
      ]),
    ),
  );
  const snmp = Object.entries(d.snmp).flatMap(([g, m]) =>
    Object.entries(m.deltas)
      .filter(([name, v]) => v.delta > 0n && isSnmpLossCounter(g, name))
      .map(([name, v]) => [`${g} ${name}`, num(v.delta)]),
  );
  if (snmp.length)
    out.push('', 'protocol error counters that moved:', table(['COUNTER', 'DELTA'], snmp, 1));
  return `${out.join('\n')}\n`;
}
