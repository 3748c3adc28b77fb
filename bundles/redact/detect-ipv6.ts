import type { SensitiveValue } from './categories.js';
import { type Finding, PRIORITY, prefixLengthAfter } from './finding.js';
import { ipv4ToText, isKeptIPv4, parseIPv4 } from './ipv4.js';
import {
  compressIPv6,
  embeddedIPv4,
  eui64Mac,
  type IPv6Plan,
  ipv6Plan,
  isIPv6Network,
  type ParsedIPv6,
  parseIPv6,
} from './ipv6.js';
import { renderMac } from './mac.js';

// A run of hex groups and colons (two or more colons), maybe with a dotted IPv4 tail and a
// `%zone`. Everything is then validated by parsing, which rejects PCI addresses (`0000:00:05.0`),
// times (`10:11:12`) and MACs. A run never starts inside another run (after `hex:` or `::`), but
// may start after a `key:` label (`addr:2603:1030::17`).
const IPV6_CANDIDATE =
  /(?<![0-9A-Za-z_.])(?<![0-9A-Fa-f:]:)((?:[0-9A-Fa-f]{0,4}:){2,8}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?)(%[0-9A-Za-z_.@-]+)?(?![0-9A-Za-z_:])/g;

interface IPv6Match {
  readonly start: number;
  readonly text: string;
  readonly parsed: ParsedIPv6;
  readonly plan: IPv6Plan;
}

// `:::22` and `::1:631` are how netstat glues a port to `::`/`::1`: when the whole run is not an
// address, or the run minus a trailing `:port` is an address we keep, the port is cut off.
function ipv6At(start: number, raw: string): IPv6Match | undefined {
  const tryText = (text: string): IPv6Match | undefined => {
    const parsed = parseIPv6(text);
    return parsed === undefined
      ? undefined
      : { start, text, parsed, plan: ipv6Plan(parsed.groups) };
  };
  const port = /:\d{0,5}$/.exec(raw);
  const withoutPort = port ? tryText(raw.slice(0, port.index)) : undefined;
  const whole = tryText(raw);
  if (withoutPort?.plan === 'keep' && raw.slice(0, 2) === '::') return withoutPort;
  return whole ?? withoutPort;
}

// One at a time: a text of `::` runs holds a candidate every few characters, nearly all kept, and
// holding them all at once only feeds the garbage collector.
export function* ipv6Matches(text: string): Generator<IPv6Match> {
  if (!holdsAddressRun(text)) return;
  for (const m of candidates(text)) {
    const raw = m[1]!;
    // Times (`12:00:01`) and MACs are candidates on nearly every log line, and no spelling of
    // theirs, with or without a port cut off, can be an address: see mayBeAddress.
    if (!mayBeAddress(raw)) continue;
    // Eight two-digit groups without `::` is an EUI-64 link-layer address; the MAC rules own it.
    if (raw.length === 23 && /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){7}$/.test(raw)) continue;
    const match = ipv6At(m.index, raw);
    if (match) yield match;
  }
}

// What IPV6_CANDIDATE finds under matchAll, found faster. Its lookbehinds made V8 try it at every
// character of a text (a tenth of `collect redact`'s time on a syslog). But a candidate's first
// two colons have at most four hex digits between them, and it starts at most four characters
// before the first one, where no word character precedes it: so it is tried only there, at the
// same positions in the same order as matchAll would reach them, and the rest of the text is
// left to a pattern that starts with a colon.
const COLON_PAIR = /:[0-9A-Fa-f]{0,4}:/g;
const CANDIDATE_AT = new RegExp(IPV6_CANDIDATE.source, 'y');

function isWordBefore(c: number): boolean {
  // [0-9A-Za-z_.]: what the candidate's first lookbehind refuses.
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46
  );
}

function* candidates(text: string): Generator<RegExpExecArray> {
  const pair = new RegExp(COLON_PAIR);
  const at = new RegExp(CANDIDATE_AT);
  // Every position before this was tried, or lies in a match.
  let tried = 0;
  for (let p = pair.exec(text); p !== null; p = pair.exec(text)) {
    const colon = p.index;
    // Pairs overlap (`1:2:3:` holds three): each colon may be a candidate's first.
    pair.lastIndex = colon + 1;
    for (let start = Math.max(tried, colon - 4); start <= colon; start += 1) {
      if (start > 0 && isWordBefore(text.charCodeAt(start - 1))) continue;
      at.lastIndex = start;
      const m = at.exec(text);
      if (m === null) continue;
      yield m;
      tried = start + m[0].length;
      pair.lastIndex = Math.max(pair.lastIndex, tried);
      break;
    }
    tried = Math.max(tried, colon + 1);
  }
}

// Every candidate mayBeAddress lets through holds `::`, or six colons with at most four hex
// digits between each and the next: a text with neither (a syslog of times and MACs) holds no
// address, and its candidates need not be looked for at all. The colons are visited by indexOf
// (the regex `:(?:[0-9A-Fa-f]{0,4}:){5}` this replaces was tried at every colon of every line,
// three times per piece, and cost more than all the IPv6 work on a syslog that holds none).
export function holdsAddressRun(text: string): boolean {
  if (text.includes('::')) return true;
  // Colons so far in the current run, each within four hex digits of the one before.
  let run = 0;
  let previous = -6;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
    run = i - previous <= 5 && isHexBetween(text, previous + 1, i) ? run + 1 : 1;
    if (run >= 6) return true;
    previous = i;
  }
  return false;
}

function isHexBetween(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

// Without `::`, an address spells 8 groups: 7 colons, or 6 before a dotted IPv4 tail. A run with
// neither `::` nor 6 colons is no address, nor is it one once ipv6At cuts a `:port` off (that only
// removes a colon), so it need not be parsed twice to learn so.
function mayBeAddress(raw: string): boolean {
  let colons = 0;
  for (let i = 0; i < raw.length; i += 1) {
    if (raw.charCodeAt(i) !== 58) continue;
    if (raw.charCodeAt(i + 1) === 58) return true;
    colons += 1;
  }
  return colons >= 6;
}

const replaceIPv6: Finding['replace'] = (t, o) => t.ipv6(o);

// `solicited = false` leaves out solicited-node addresses, whose tokens cannot be told from
// real ones (the leak scan checks them through the known values instead).
export function ipv6Findings(text: string, solicited = true): Finding[] {
  const out: Finding[] = [];
  for (const m of ipv6Matches(text)) {
    if (m.plan === 'keep' || (!solicited && m.plan === 'solicited-node')) continue;
    const learn: SensitiveValue[] =
      m.plan === 'embedded-v4'
        ? [{ category: 'ipv4', value: ipv4ToText(embeddedIPv4(m.parsed.groups)) }]
        : [{ category: 'ipv6', value: compressIPv6(m.parsed.groups) }];
    if (m.plan === 'link-local-iid')
      learn.push({ category: 'mac', value: renderMac(eui64Mac(m.parsed.groups), 'colon', false) });
    if (m.parsed.v4Text !== undefined && m.plan === 'global') {
      const v4 = parseIPv4(m.parsed.v4Text);
      if (v4 && !isKeptIPv4(v4.value))
        learn.push({ category: 'ipv4', value: ipv4ToText(v4.value) });
    }
    const end = m.start + m.text.length;
    const suffix = m.plan === 'global' ? prefixLengthAfter(text, end) : undefined;
    const network =
      suffix !== undefined &&
      suffix.length >= 16 &&
      suffix.length < 128 &&
      isIPv6Network(m.parsed.groups, suffix.length);
    out.push({
      start: m.start,
      end: network ? suffix.end : end,
      category: m.plan === 'embedded-v4' ? 'ipv4' : 'ipv6',
      priority: PRIORITY.pattern,
      replace: replaceIPv6,
      learn,
    });
  }
  return out;
}
