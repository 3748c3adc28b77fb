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
  for (const m of text.matchAll(IPV6_CANDIDATE)) {
    const raw = m[1]!;
    // Eight two-digit groups without `::` is an EUI-64 link-layer address; the MAC rules own it.
    if (/^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){7}$/.test(raw)) continue;
    const match = ipv6At(m.index, raw);
    if (match) yield match;
  }
}

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
      replace: (t, o) => t.ipv6(o),
      learn,
    });
  }
  return out;
}
