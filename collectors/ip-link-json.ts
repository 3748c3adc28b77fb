import { parseU64 } from './counter.js';
import { type Direction, isKnown, JSON_KEYS, statName } from './ip-link-names.js';
import { emptyInterface, type IpLink, type IpLinkInterface, isMacLike } from './ip-link-types.js';
import { isJsonObject, type JsonValue, quoteLargeIntegers } from './json-bigint.js';
import { setOwn } from './own-record.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';

// `ip -s -s -j link`: one compact JSON array (wlp3s0 fixture). Same output shape as the text
// parser, counters exact to u64 max.
export function parseIpLinkJson(text: string): ParseResult<IpLink> {
  const warnings = new WarningList();
  const interfaces: IpLinkInterface[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(quoteLargeIntegers(text));
  } catch (e) {
    warnings.add(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    return { value: { interfaces }, warnings: warnings.done() };
  }
  if (!Array.isArray(parsed)) {
    warnings.add('expected a JSON array of interfaces');
    return { value: { interfaces }, warnings: warnings.done() };
  }
  parsed.forEach((item: unknown, n) => {
    if (isJsonObject(item)) interfaces.push(toInterface(item, warnings));
    else warnings.add(`element ${n} is not an object`);
  });
  return { value: { interfaces }, warnings: warnings.done() };
}

// Text header attr name -> JSON key.
const ATTRS = [
  ['mode', 'linkmode'],
  ['group', 'group'],
  ['qlen', 'txqlen'],
] as const;

function toInterface(o: { [key: string]: JsonValue }, warnings: WarningList): IpLinkInterface {
  const ifindex = typeof o.ifindex === 'number' ? o.ifindex : -1;
  const iface = emptyInterface(ifindex, str(o.ifname) ?? '');
  // Text `@peer` is JSON `link` (a name), `link_index` (`@ifN`, peer in another netns) or
  // `link: null` (`@NONE`).
  if (typeof o.link === 'string') iface.peer = o.link;
  else if (typeof o.link_index === 'number') iface.peer = `if${o.link_index}`;
  else if (o.link === null) iface.peer = 'NONE';
  if (Array.isArray(o.flags)) iface.flags = o.flags.filter(isString);
  if (typeof o.mtu === 'number') iface.mtu = o.mtu;
  assign(iface, 'qdisc', str(o.qdisc));
  assign(iface, 'master', str(o.master));
  assign(iface, 'state', str(o.operstate));
  assign(iface, 'linkType', str(o.link_type));
  assign(iface, 'address', str(o.address));
  assign(iface, 'broadcast', str(o.broadcast));
  if (iface.address !== undefined && isMacLike(iface.address)) iface.mac = iface.address;
  // Same attr names as the text header line.
  for (const [key, jsonKey] of ATTRS) {
    const v = o[jsonKey];
    if (typeof v === 'string' || typeof v === 'number') setOwn(iface.attrs, key, String(v));
  }
  if (Array.isArray(o.altnames)) iface.altnames = o.altnames.filter(isString);
  const kind = isJsonObject(o.linkinfo) ? str(o.linkinfo.info_kind) : undefined;
  if (kind && /^[\w.-]{1,32}$/.test(kind)) iface.kind = kind;
  // `stats64` since iproute2 4.x; `stats` when only 32-bit stats were available.
  const stats = isJsonObject(o.stats64) ? o.stats64 : isJsonObject(o.stats) ? o.stats : undefined;
  for (const dir of ['rx', 'tx'] as const) {
    const block = stats?.[dir];
    if (isJsonObject(block)) readBlock(iface, dir, block, warnings);
  }
  return iface;
}

function readBlock(
  iface: IpLinkInterface,
  dir: Direction,
  block: { [key: string]: JsonValue },
  warnings: WarningList,
): void {
  const table = JSON_KEYS[dir];
  for (const [key, raw] of Object.entries(block)) {
    const v = toCounter(raw);
    if (v === undefined) {
      warnings.add(`${iface.name}: ${dir}.${key} is not a counter: ${JSON.stringify(raw)}`);
      continue;
    }
    if (!isKnown(table, key)) warnings.add(`${iface.name}: unknown key ${dir}.${key}`);
    setOwn(iface.stats, statName(table, dir, key), v);
  }
}

// Small counters arrive as numbers, long ones as the strings quoteLargeIntegers() made.
function toCounter(raw: JsonValue | undefined): bigint | undefined {
  if (typeof raw === 'string') return parseU64(raw);
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return BigInt(raw);
  return undefined;
}

function isString(v: JsonValue): v is string {
  return typeof v === 'string';
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

type OptionalText = 'qdisc' | 'master' | 'state' | 'linkType' | 'address' | 'broadcast';

function assign(iface: IpLinkInterface, key: OptionalText, v: string | undefined): void {
  if (v !== undefined) iface[key] = v;
}
