import { intoSnapshot } from './contribution.js';
import { getOwn, setOwn } from './own-record.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { hiddenSysctlsReason, sysctlReadSh } from './sysctl-read.js';
import { quote, splitLines } from './text-lines.js';

// `sysctl -a` (`name = value`) or a /proc/sys walk (`name value`, the name a dotted sysctl name
// or a path such as `net/core/netdev_max_backlog` or `/proc/sys/net/core/...`). Names are
// returned in sysctl's dotted notation; values as printed, trimmed (multi-value sysctls such as
// tcp_rmem keep their tabs).
export type Sysctls = Record<string, string>;

export function parseSysctl(text: string): ParseResult<Sysctls> {
  const warnings = new WarningList();
  const result: Sysctls = {};

  splitLines(text).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) return;
    // `sysctl: permission denied on key 'fs.protected_fifos'` and `sysctl: reading key ...`
    // come from sysctl -a run without root; they are not settings.
    if (t.startsWith('sysctl:')) {
      warnings.add(`line ${i + 1}: ${quote(t)}`);
      return;
    }
    // `name = value` first (name has no `=`), else `name value` where the value may hold `=`.
    const m = /^([^\s=]+)\s*=\s*(.*)$/.exec(t) ?? /^(\S+)\s+(.*)$/.exec(t);
    const rawName = m?.[1];
    if (rawName === undefined) {
      warnings.add(`line ${i + 1}: not a "name = value" line: ${quote(line)}`);
      return;
    }
    const value = m?.[2]?.trim() ?? '';
    const name = toSysctlName(rawName);
    const previous = getOwn(result, name);
    if (previous !== undefined && previous !== value) {
      warnings.add(`line ${i + 1}: ${name} repeated with another value; keeping the last`);
    }
    setOwn(result, name, value);
  });

  return { value: result, warnings: warnings.done() };
}

// /proc/sys paths use `/` between levels, and an interface name with a dot (VLAN `eth0.100`)
// keeps its dot; sysctl swaps the two (`net.ipv4.conf.eth0/100.rp_filter`). A name is a path
// when it starts with /proc/sys/ or has no dot before its first slash.
export function toSysctlName(name: string): string {
  const stripped = name.replace(/^\/proc\/sys\//, '');
  const slash = stripped.indexOf('/');
  const isPath = stripped !== name || (slash > 0 && !stripped.slice(0, slash).includes('.'));
  if (!isPath) return stripped;
  return stripped.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

// The sysctls that decide whether a burst is absorbed or dropped.
export const DROP_SYSCTLS = [
  'net.core.netdev_max_backlog',
  'net.core.netdev_budget',
  'net.core.netdev_budget_usecs',
  'net.core.dev_weight',
  'net.core.rmem_default',
  'net.core.rmem_max',
  'net.core.wmem_default',
  'net.core.wmem_max',
  'net.core.optmem_max',
  'net.core.flow_limit_cpu_bitmap',
  'net.core.flow_limit_table_len',
  'net.core.rps_sock_flow_entries',
  // The accept queue: ListenOverflows (SOCKET, listen advice).
  'net.core.somaxconn',
  'net.ipv4.tcp_max_syn_backlog',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_mem',
  'net.ipv4.udp_mem',
  'net.ipv4.udp_rmem_min',
  'net.ipv4.udp_wmem_min',
];

export const sysctlCollector: CollectorSpec = {
  id: 'sysctl',
  description:
    'the sysctls that matter for drops (backlog, NAPI budget, socket buffers, flow limit)',
  // The global ones through the initial network namespace when this one
  // hides them (sysctl-read.ts).
  source: { kind: 'shell', sh: sysctlReadSh(DROP_SYSCTLS) },
  scope: 'global',
  rawPath: 'kernel/sysctl.txt',
  sos: ['sos_commands/kernel/sysctl_-a'],
  explain: (stderr) => hiddenSysctlsReason(stderr, DROP_SYSCTLS),
  model: intoSnapshot(parseSysctl, (s, d) => {
    d.fields.sysctls = s;
  }),
};
