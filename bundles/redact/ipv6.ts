import type { DigestStream } from './digest.js';
import { isKeptIPv4, parseIPv4 } from './ipv4.js';
import { macPlan } from './mac.js';
import { NO_FIXED, type PrefixTree, ZERO_PATH } from './prefix-tree.js';

// An IPv6 address plus how it was written, so a token can be written the same way: same groups
// left and right of `::`, same digit count per group, same case, same dotted IPv4 tail.
export interface ParsedIPv6 {
  readonly groups: readonly number[]; // always 8
  readonly head: readonly number[]; // written width of each group before `::` (or of all groups)
  readonly tail: readonly number[]; // written width of each group after `::`
  readonly compressed: boolean;
  readonly v4Text?: string; // `::ffff:10.1.2.3` keeps its last 32 bits as a dotted quad
  readonly upper: boolean;
}

const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

// Without `::`, an address spells all 8 groups: 7 colons, or 6 before a dotted IPv4 tail (whose
// dots are the only ones an address can hold). Times (`12:00:01`) and MACs, which the candidate
// pattern hands over on nearly every log line, fail here without being split and parsed.
function hasGroupCount(text: string): boolean {
  if (text.includes('::')) return true;
  let colons = 0;
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 58) colons += 1;
  return colons === (text.includes('.') ? 6 : 7);
}

export function parseIPv6(text: string): ParsedIPv6 | undefined {
  if (text.length < 2 || !hasGroupCount(text) || !/^[0-9A-Fa-f:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const compressed = halves.length === 2;
  const items = halves.map((h) => (h === '' ? [] : h.split(':')));
  const head = items[0]!;
  const tail = compressed ? items[1]! : [];
  const last = compressed ? tail : head;
  let v4Text: string | undefined;
  let v4: number | undefined;
  if (last.length > 0 && last[last.length - 1]!.includes('.')) {
    v4Text = last.pop()!;
    const p = parseIPv4(v4Text);
    if (p === undefined || p.separator !== '.') return undefined;
    v4 = p.value;
  }
  if (![...head, ...tail].every((g) => HEX_GROUP.test(g))) return undefined;
  const explicit = head.length + tail.length + (v4Text === undefined ? 0 : 2);
  if (compressed ? explicit > 7 : explicit !== 8) return undefined;
  const groups = new Array<number>(8).fill(0);
  head.forEach((g, i) => {
    groups[i] = Number.parseInt(g, 16);
  });
  const tailStart = 8 - tail.length - (v4Text === undefined ? 0 : 2);
  tail.forEach((g, i) => {
    groups[tailStart + i] = Number.parseInt(g, 16);
  });
  if (v4 !== undefined) {
    groups[6] = v4 >>> 16;
    groups[7] = v4 & 0xffff;
  }
  const parsed = {
    groups,
    head: head.map((g) => g.length),
    tail: tail.map((g) => g.length),
    compressed,
    upper: /[A-F]/.test(text),
  };
  return v4Text === undefined ? parsed : { ...parsed, v4Text };
}

// The normalised form used as the pseudonym key: one spelling per address.
export function ipv6Key(groups: readonly number[]): string {
  return groups.map((g) => g.toString(16)).join(':');
}

// RFC 5952 text: lowercase, no leading zeros, the longest run of two or more zero groups as `::`.
export function compressIPv6(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export function expandIPv6(groups: readonly number[], pad: boolean): string {
  return groups.map((g) => (pad ? g.toString(16).padStart(4, '0') : g.toString(16))).join(':');
}

// Writes `groups` the way `spelling` was written. A global token keeps every group's number of
// significant digits, so padding to the original width always fits; an embedded IPv4 token
// written in hex and the EUI-64 interface id of a MAC token can come out wider. A token with a
// non-zero group where the spelling has `::` is written in RFC 5952 form instead (in the
// spelling's case), so no group is ever dropped.
export function renderIPv6(
  groups: readonly number[],
  spelling: ParsedIPv6,
  v4Text?: string,
): string {
  const hex = (i: number, width: number): string => groups[i]!.toString(16).padStart(width, '0');
  const hasV4 = spelling.v4Text !== undefined;
  const tailStart = 8 - spelling.tail.length - (hasV4 ? 2 : 0);
  for (let i = spelling.head.length; spelling.compressed && i < tailStart; i += 1)
    if (groups[i] !== 0) {
      const plain = compressIPv6(groups);
      return spelling.upper ? plain.toUpperCase() : plain;
    }
  const head = spelling.head.map((w, i) => hex(i, w));
  const tail = spelling.tail.map((w, i) => hex(tailStart + i, w));
  if (hasV4) tail.push(v4Text ?? spelling.v4Text!);
  const out = spelling.compressed
    ? `${head.join(':')}::${tail.join(':')}`
    : [...head, ...tail].join(':');
  return spelling.upper ? out.toUpperCase() : out;
}

// What to do with an address.
// - keep: ::, ::1, multicast, link-local with a non-EUI-64 interface id, our own 3fff::/16
//   tokens, and other special-purpose space that names no host.
// - global: 2000::/3, ULA fc00::/7, site-local fec0::/10 -> a prefix-preserving token in
//   3fff::/16 (ipv6Pseudonym).
// - link-local-iid: fe80::/10 whose interface id is EUI-64 (ff:fe in the middle) and therefore
//   spells the NIC's MAC; the fe80 prefix stays, the interface id becomes the EUI-64 of the MAC's
//   token. An id that spells a MAC the MAC rules keep (our own d2:ec tokens among them) is kept.
// - solicited-node: ff02::1:ffXX:XXXX carries the low 24 bits of a unicast address (the NIC
//   part of an EUI-64 MAC), so those 24 bits are replaced like the MAC's 33:33:ff:XX:XX:XX.
// - embedded-v4: ::ffff:a.b.c.d, 64:ff9b::a.b.c.d and ::a.b.c.d; the IPv4 part follows the
//   IPv4 rules (and gets the same token as the bare IPv4).
export type IPv6Plan = 'keep' | 'global' | 'link-local-iid' | 'solicited-node' | 'embedded-v4';

export function isEui64(groups: readonly number[]): boolean {
  return (groups[5]! & 0xff) === 0xff && groups[6]! >> 8 === 0xfe;
}

export function ipv6Plan(groups: readonly number[]): IPv6Plan {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (upperZero && g5 === 0 && g6 === 0 && (g7 === 0 || g7 === 1)) return 'keep';
  if ((g0 & 0xff00) === 0xff00) {
    const solicited = g0 === 0xff02 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
    return solicited && g5 === 1 && g6 >> 8 === 0xff ? 'solicited-node' : 'keep';
  }
  if ((g0 & 0xffc0) === 0xfe80)
    return isEui64(groups) && macPlan(eui64Mac(groups)) === 'redact' ? 'link-local-iid' : 'keep';
  if (g0 === 0x3fff) return 'keep';
  if ((g0 & 0xe000) === 0x2000 || (g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfec0)
    return 'global';
  const mapped = upperZero && (g5 === 0xffff || g5 === 0);
  const nat64 = g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0;
  if ((mapped || nat64) && !isKeptIPv4(embeddedIPv4(groups))) return 'embedded-v4';
  return 'keep';
}

export function embeddedIPv4(groups: readonly number[]): number {
  return ((groups[6]! << 16) | groups[7]!) >>> 0;
}

// A random group with as many significant hex digits as `original` (zero stays zero), so the
// token has the same `::` placement and the same written width as the original.
export function groupLike(stream: DigestStream, original: number): number {
  if (original === 0) return 0;
  const digits = original.toString(16).length;
  const low = 16 ** (digits - 1);
  return low + stream.below(16 ** digits - low);
}

// The pseudonym of a global, unique-local or site-local address: the first group becomes 3fff
// (3fff::/16, whose first /20 is the RFC 9637 documentation prefix; every such original has a
// four-digit first group), and the other 112 bits are permuted bit by bit under the original's
// prefix (prefix-tree.ts), so a /48, /56 or /64 stays one network of that length. Zero groups stay
// zero and every group keeps its number of significant bits, hence its digit count: the token fits
// the original's spelling, `::` included. Prefixes down to the /64 are remembered; the interface
// id's are nearly unique per address.
export function ipv6Pseudonym(tree: PrefixTree, groups: readonly number[]): number[] {
  const out = [0x3fff];
  let prefix = groups[0]!.toString(16);
  for (let i = 1; i < 8; i += 1) {
    const g = groups[i]!;
    const high = tree.permute(`${2 * i}:${prefix}`, g >> 8, ZERO_PATH, 2 * i <= 8);
    prefix += `:${(g >> 8).toString(16)}`;
    const fixed = g >> 8 === 0 ? ZERO_PATH : NO_FIXED;
    const low = tree.permute(`${2 * i + 1}:${prefix}`, g & 0xff, fixed, 2 * i + 1 <= 8);
    prefix += `.${(g & 0xff).toString(16)}`;
    out.push((high << 8) | low);
  }
  return out;
}

// The groups of `groups`' /`length` network: every bit from `length` on cleared.
export function ipv6Network(groups: readonly number[], length: number): number[] {
  return groups.map((g, i) => {
    const keep = Math.min(16, Math.max(0, length - 16 * i));
    return keep === 0 ? 0 : g & ((0xffff << (16 - keep)) & 0xffff);
  });
}

export function isIPv6Network(groups: readonly number[], length: number): boolean {
  return (
    length >= 0 && length <= 128 && ipv6Network(groups, length).every((g, i) => g === groups[i])
  );
}

// The EUI-64 interface id of a MAC (RFC 4291 appendix A): ff:fe in the middle, U/L bit flipped.
export function eui64Groups(mac: readonly number[]): number[] {
  const [m0, m1, m2, m3, m4, m5] = mac as [number, number, number, number, number, number];
  return [((m0 ^ 0x02) << 8) | m1, (m2 << 8) | 0xff, 0xfe00 | m3, (m4 << 8) | m5];
}

// The MAC behind an EUI-64 interface id (RFC 4291 appendix A): flip the U/L bit back.
export function eui64Mac(groups: readonly number[]): number[] {
  const g4 = groups[4]!;
  const g5 = groups[5]!;
  const g6 = groups[6]!;
  const g7 = groups[7]!;
  return [(g4 >> 8) ^ 0x02, g4 & 0xff, g5 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff];
}
