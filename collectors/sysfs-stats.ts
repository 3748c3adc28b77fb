import { intoSnapshot } from './contribution.js';
import { parseU64 } from './counter.js';
import { getOwn, setOwn } from './own-record.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { quote, splitLines } from './text-lines.js';

// Output of the on-host loop over /sys/class/net, one line per file: `<iface>/<file> <value>`,
// e.g. `eth0/rx_dropped 12`, `eth0/operstate up`, `eth0/speed -1`, `eth0/master br0`.
// `eth0/statistics/rx_dropped 12` and a full `/sys/class/net/eth0/...` path are accepted too.
export interface SysfsInterface {
  counters: Record<string, bigint>;
  attrs: Record<string, string>;
}

export type SysfsStats = Record<string, SysfsInterface>;

// The files of /sys/class/net/<if>/statistics/ (struct rtnl_link_stats64, K-ABI) plus the
// carrier transition counters that live one level up. Everything else (mtu, speed, operstate)
// is an attribute: `mtu 1500` is a number but not a counter, and deltas of it mean nothing.
const COUNTER_NAMES = new Set([
  'rx_packets',
  'tx_packets',
  'rx_bytes',
  'tx_bytes',
  'rx_errors',
  'tx_errors',
  'rx_dropped',
  'tx_dropped',
  'multicast',
  'collisions',
  'rx_length_errors',
  'rx_over_errors',
  'rx_crc_errors',
  'rx_frame_errors',
  'rx_fifo_errors',
  'rx_missed_errors',
  'tx_aborted_errors',
  'tx_carrier_errors',
  'tx_fifo_errors',
  'tx_heartbeat_errors',
  'tx_window_errors',
  'rx_compressed',
  'tx_compressed',
  'rx_nohandler',
  'rx_otherhost_dropped',
  'carrier_changes',
  'carrier_up_count',
  'carrier_down_count',
]);

export function parseSysfsStats(text: string): ParseResult<SysfsStats> {
  const warnings = new WarningList();
  const result: SysfsStats = {};

  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^(\S+)(?:[ \t](.*))?$/.exec(line.trim());
    const segments = (m?.[1] ?? '').replace(/^\/sys\/class\/net\//, '').split('/');
    const iface = segments[0] ?? '';
    const attr = segments[segments.length - 1] ?? '';
    if (m === null || segments.length < 2 || iface === '' || attr === '') {
      // e.g. `cat: /sys/class/net/eth0/speed: Invalid argument` from the loop's stderr.
      warnings.add(`line ${i + 1}: not an "<iface>/<file> <value>" line: ${quote(line)}`);
      return;
    }
    const value = (m[2] ?? '').trim();
    const entry = getOwn(result, iface) ?? { counters: {}, attrs: {} };
    setOwn(result, iface, entry);
    const isCounter = COUNTER_NAMES.has(attr) || segments.includes('statistics');
    const counter = isCounter ? parseU64(value) : undefined;
    if (counter !== undefined) {
      setOwn(entry.counters, attr, counter);
      return;
    }
    if (isCounter) warnings.add(`line ${i + 1}: ${iface}/${attr}: not a counter: ${quote(value)}`);
    setOwn(entry.attrs, attr, value);
  });

  return { value: result, warnings: warnings.done() };
}

// One pass over /sys/class/net with the shell's own `read`: no fork per file
// or per interface. The master and the driver are the names of the
// directories their links lead to: `cd -P` finds them without a readlink
// fork (a bridge's 200 ports cost a second here). The statistics are read
// for interfaces backed by a device: a software one's (a pod's veth) are the
// same kernel counters that ip -s -s -d -j link prints, which the snapshot
// takes for them (snapshot/interfaces.ts), and reading 23 files for each of
// 100 pods' veths took three times as long as the rest of the loop.
const SYSFS_LOOP = `for d in /sys/class/net/*; do
  i=\${d##*/}
  [ -e "$d/device" ] && for f in "$d"/statistics/*; do read -r v < "$f" && echo "$i/\${f##*/} $v"; done
  for a in ifindex operstate mtu speed address carrier_changes; do [ -r "$d/$a" ] && read -r v < "$d/$a" && echo "$i/$a $v"; done
  [ -L "$d/master" ] && cd -P "$d/master" && echo "$i/master \${PWD##*/}"
  [ -L "$d/device/driver" ] && cd -P "$d/device/driver" && echo "$i/driver \${PWD##*/}"
  [ -e "$d/device/physfn" ] && echo "$i/physfn 1"
  [ -d "$d/bridge" ] && echo "$i/kind bridge"
  [ -d "$d/bonding" ] && echo "$i/kind bond"
  [ -e "$d/device" ] || echo "$i/virtual 1"
  for l in "$d"/lower_*; do [ -L "$l" ] && echo "$i/lower \${l##*/lower_}"; done
done 2>/dev/null; exit 0`;

export const sysfsNetCollector: CollectorSpec = {
  id: 'sysfs_net',
  description:
    'every /sys/class/net/*/statistics counter of device-backed interfaces, plus state, MTU, speed, master and driver of all',
  source: { kind: 'shell', sh: SYSFS_LOOP },
  scope: 'global',
  rawPath: 'net/sysfs-class-net.txt',
  // Lists interfaces; the most trusted source of their counters and attributes.
  model: intoSnapshot(parseSysfsStats, (s, d) => {
    d.listing.sysfs = s;
  }),
};
