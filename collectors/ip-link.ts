import { type Contribution, intoSnapshot } from './contribution.js';
import { parseSmallInt, parseU64 } from './counter.js';
import { parseIpLinkJson } from './ip-link-json.js';
import { type Direction, isKnown, statName, TEXT_COLUMNS } from './ip-link-names.js';
import { emptyInterface, type IpLink, type IpLinkInterface, isMacLike } from './ip-link-types.js';
import { setOwn } from './own-record.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { quote, splitLines } from './text-lines.js';

export { parseIpLinkJson } from './ip-link-json.js';
export type { IpLink, IpLinkInterface } from './ip-link-types.js';

// `2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9001 qdisc mq state UP ...`
// Interface names cannot contain ':' or whitespace, so the name ends at the first `: `.
const HEADER = /^(\d+):\s+([^\s:]+):\s+<([^>]*)>\s*(.*)$/;
// `RX:  bytes packets ...`, `RX errors:  length crc ...`, `TX:`, `TX errors:`.
const STATS_HEADER = /^(RX|TX)( errors)?:\s*(.*)$/;

interface PendingRow {
  dir: Direction;
  columns: string[];
  // Stats under a `vf N` line belong to an SR-IOV VF of this PF, not to the interface itself.
  ignore: boolean;
}

// Text `ip -s link` / `ip -s -s link` / `ip -s -s -d link`, any iproute2 layout.
export function parseIpLink(text: string): ParseResult<IpLink> {
  const warnings = new WarningList();
  const interfaces: IpLinkInterface[] = [];
  let current: IpLinkInterface | undefined;
  let pending: PendingRow | undefined;
  let inVf = false;

  splitLines(text).forEach((line, i) => {
    const t = line.trim();
    if (t === '') return;
    if (pending !== undefined) {
      const row = pending;
      pending = undefined;
      if (storeRow(current, row, t, warnings, i + 1)) return;
    }
    const header = HEADER.exec(line);
    if (header) {
      current = parseHeader(header);
      interfaces.push(current);
      inVf = false;
      return;
    }
    if (current === undefined) {
      warnings.add(`line ${i + 1}: text before the first interface: ${quote(line)}`);
      return;
    }
    const stats = STATS_HEADER.exec(t);
    if (stats) {
      const dir: Direction = stats[1] === 'RX' ? 'rx' : 'tx';
      pending = { dir, columns: (stats[3] ?? '').split(/\s+/).filter(Boolean), ignore: inVf };
    } else if (/^vf \d+/.test(t)) {
      inVf = true;
      current.details.push(t);
    } else if (t.startsWith('link/')) parseLinkLine(current, t);
    else if (t.startsWith('altname ')) current.altnames.push(t.slice(8).trim());
    else current.details.push(t);
  });

  if (pending !== undefined) warnings.add('stats header at end of input without values');
  if (interfaces.length === 0) warnings.add('no interfaces found');
  return { value: { interfaces }, warnings: warnings.done() };
}

function parseHeader(m: RegExpExecArray): IpLinkInterface {
  const fullName = m[2] ?? '';
  // `lxcb16c490a744c@if65`: the last `@` separates the peer.
  const at = fullName.lastIndexOf('@');
  const name = at > 0 ? fullName.slice(0, at) : fullName;
  const iface = emptyInterface(parseSmallInt(m[1] ?? '') ?? -1, name);
  if (at > 0) iface.peer = fullName.slice(at + 1);
  iface.flags = (m[3] ?? '').split(',').filter(Boolean);
  const tokens = (m[4] ?? '').split(/\s+/).filter(Boolean);
  for (let k = 0; k < tokens.length; k += 2) {
    const key = tokens[k] ?? '';
    const value = tokens[k + 1] ?? '';
    setOwn(iface.attrs, key, value);
    if (key === 'mtu') iface.mtu = parseSmallInt(value) ?? null;
    else if (key === 'qdisc') iface.qdisc = value;
    else if (key === 'master') iface.master = value;
    else if (key === 'state') iface.state = value;
  }
  return iface;
}

// `link/ether 52:54:00:f4:54:a1 brd ff:ff:ff:ff:ff:ff [-d details...]`, `link/none`,
// `link/gre 10.0.0.1 peer 10.0.0.2`.
function parseLinkLine(iface: IpLinkInterface, t: string): void {
  const tokens = t.split(/\s+/);
  iface.linkType = (tokens.shift() ?? '').slice('link/'.length);
  const first = tokens[0];
  if (first !== undefined && first !== 'brd' && first !== 'peer') {
    iface.address = first;
    if (isMacLike(first)) iface.mac = first;
    tokens.shift();
  }
  if (tokens[0] === 'brd' && tokens[1] !== undefined) {
    iface.broadcast = tokens[1];
    tokens.splice(0, 2);
  }
  if (tokens.length > 0) iface.details.push(tokens.join(' '));
}

// Stores a values row under its header's column names. False when the line is not a row of
// numbers (then the caller handles it as an ordinary line).
function storeRow(
  iface: IpLinkInterface | undefined,
  row: PendingRow,
  t: string,
  warnings: WarningList,
  lineNo: number,
): boolean {
  const tokens = t.split(/\s+/);
  const values = tokens.map((v) => parseU64(v));
  if (values.some((v) => v === undefined)) {
    // `ip -s -h link` prints `1.2M`: human units are not counters.
    warnings.add(`line ${lineNo}: expected a row of counters: ${quote(t)}`);
    return false;
  }
  if (iface === undefined || row.ignore) return true;
  if (values.length !== row.columns.length) {
    warnings.add(
      `line ${lineNo}: ${iface.name}: ${values.length} values for ${row.columns.length} columns`,
    );
  }
  const table = TEXT_COLUMNS[row.dir];
  row.columns.forEach((column, c) => {
    const v = values[c];
    if (v === undefined) return;
    if (!isKnown(table, column)) warnings.add(`line ${lineNo}: unknown column ${quote(column)}`);
    setOwn(iface.stats, statName(table, row.dir, column), v);
  });
  return true;
}

// Both forms list interfaces, by name: a later one (JSON, in the registry) replaces an earlier one.
const listLinks = (parse: (text: string) => ParseResult<IpLink>): Contribution =>
  intoSnapshot(parse, (l, d) => {
    for (const i of l.interfaces) d.listing.links.set(i.name, i);
  });

export const ipLinkTextCollector: CollectorSpec = {
  id: 'ip_link',
  description: 'links with detailed statistics, as humans read them (ip -s -s link)',
  source: { kind: 'command', argv: ['ip', '-s', '-s', 'link'] },
  scope: 'global',
  tool: 'ip',
  rawPath: 'net/ip-s-s-link.txt',
  // Newer sos names it with -d; either gives the text layout.
  sos: [
    'sos_commands/networking/ip_-s_-d_link',
    'sos_commands/networking/ip_-s_link',
    'sos_commands/networking/ip_-s_-s_link',
  ],
  model: listLinks(parseIpLink),
};

export const ipLinkJsonCollector: CollectorSpec = {
  id: 'ip_link_json',
  description: 'links with detailed statistics, as JSON (ip -s -s -d -j link)',
  source: { kind: 'command', argv: ['ip', '-s', '-s', '-d', '-j', 'link'] },
  scope: 'global',
  tool: 'ip',
  rawPath: 'net/ip-s-s-d-j-link.json',
  model: listLinks(parseIpLinkJson),
};
