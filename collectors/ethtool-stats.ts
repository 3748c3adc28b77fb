import { intoInterface } from './contribution.js';
import { parseU64 } from './counter.js';
import { isEthtoolErrorLine } from './ethtool-error.js';
import { hasOwn, setOwn } from './own-record.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { isElisionLine, quote, splitLines } from './text-lines.js';

export interface EthtoolStatEntry {
  key: string;
  value: bigint;
  // vmxnet3 nests counters under a header-like line that carries a value (`Tx Queue#: 0`,
  // ethq-test-vmxnet3 fixture). Its counters repeat per queue, so the section is what tells
  // `TSO pkts tx` of queue 0 from queue 1. Absent for flat drivers.
  section?: string;
}

export interface EthtoolStats {
  // In output order, duplicates kept: the raw truth.
  entries: EthtoolStatEntry[];
  // Keyed lookup. A repeated key (mana fixture repeats a block, virtio truncates long names to
  // the same 31 chars, vmxnet3 repeats per queue) is stored as `key#2`, `key#3`, ...
  stats: Record<string, bigint>;
  // An author cut lines out (`...`, hv_netvsc fixture): missing keys are not zero.
  elided: boolean;
  // False when ethtool only printed an error (driver has no stats, device missing).
  supported: boolean;
}

// `key: value` where the key may itself contain `: ` (bnxt `[0]: rx_bytes: 5`): the greedy
// `(.*)` makes the split happen on the LAST colon whose remainder is the value.
const KEY_VALUE = /^(.*):[ \t]+(\S+)$/;
const HEADER = /(?:statistics|stats for \S+):$/i;

export function parseEthtoolStats(text: string): ParseResult<EthtoolStats> {
  const warnings = new WarningList();
  const entries: EthtoolStatEntry[] = [];
  const stats: Record<string, bigint> = {};
  let elided = false;
  let errorSeen = false;
  const renamed: string[] = [];
  const nextSuffix = new Map<string, number>();
  let head: { indent: number; label: string } | undefined;

  splitLines(text).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return; // node_exporter: `# ethtool -S eth0`
    if (isElisionLine(line)) {
      elided = true;
      warnings.add(`line ${i + 1}: lines elided ("...")`);
      return;
    }
    const m = KEY_VALUE.exec(trimmed);
    const value = m?.[2] === undefined ? undefined : parseU64(m[2]);
    const key = m?.[1]?.trim() ?? '';
    if (value === undefined || key === '') {
      // `NIC statistics:` (and netlink-era `Standard stats for eth0:`) carry no value. Any
      // other valueless line, e.g. a capture cut after `rx_bytes:`, is worth a warning.
      if (HEADER.test(trimmed)) return;
      if (isEthtoolErrorLine(trimmed)) errorSeen = true;
      warnings.add(`line ${i + 1}: not a "key: counter" line: ${quote(line)}`);
      return;
    }
    const indent = line.length - line.trimStart().length;
    const entry: EthtoolStatEntry = { key, value };
    if (head !== undefined && indent > head.indent) entry.section = head.label;
    else head = { indent, label: `${key}: ${value}` };
    entries.push(entry);
    const stored = storeUnique(stats, nextSuffix, key, value);
    if (stored !== key) renamed.push(stored);
  });

  // One summary instead of one warning per repeat: vmxnet3 repeats ~20 keys per queue.
  if (renamed.length > 0) {
    const shown = renamed.slice(0, 10).map(quote).join(', ');
    const more = renamed.length > 10 ? ', ...' : '';
    warnings.add(`${renamed.length} duplicate keys stored with a #n suffix: ${shown}${more}`);
  }
  const supported = !(errorSeen && entries.length === 0);
  return { value: { entries, stats, elided, supported }, warnings: warnings.done() };
}

// Stores under `key`, or `key#2`, `key#3`, ... when taken. Returns the key used. `nextSuffix`
// remembers the last suffix per key so a file repeating one key many times stays linear.
function storeUnique(
  stats: Record<string, bigint>,
  nextSuffix: Map<string, number>,
  key: string,
  value: bigint,
): string {
  let stored = key;
  let n = nextSuffix.get(key) ?? 2;
  while (hasOwn(stats, stored)) stored = `${key}#${n++}`;
  if (stored !== key) nextSuffix.set(key, n);
  setOwn(stats, stored, value);
  return stored;
}

export const ethtoolStatsCollector: CollectorSpec = {
  id: 'ethtool_S',
  description: "the driver's own counters (ethtool -S)",
  source: { kind: 'command', argv: ['ethtool', '-S', '{iface}'] },
  scope: 'per-interface',
  tool: 'ethtool',
  skipLoopback: true,
  softwareOnlyWithDrops: true,
  rawPath: 'ethtool/{iface}/ethtool-S.txt',
  sos: ['sos_commands/networking/ethtool_-S_{iface}'],
  model: intoInterface(parseEthtoolStats, (s, i) => {
    if (s.supported && Object.keys(s.stats).length) i.ethtool = s.stats;
  }),
};
