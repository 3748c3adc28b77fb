import {
  type Category,
  categoryMarker,
  type LabelCategory,
  type MappingEntry,
} from './categories.js';
import type { TokenSource } from './finding.js';
import { guidToken, isKeptGuid, parseGuid, renderGuid } from './guid.js';
import { ipv4Token, ipv4ToText, isKeptIPv4, parseIPv4 } from './ipv4.js';
import {
  embeddedIPv4,
  groupLike,
  ipv6Key,
  ipv6Plan,
  isEui64,
  type ParsedIPv6,
  parseIPv6,
  renderIPv6,
} from './ipv6.js';
import { labelKey, labelToken } from './label-token.js';
import { macHex, macPlan, macToken, parseMac, renderMac } from './mac.js';
import { TokenTable } from './token-table.js';

// Turns original spellings into pseudonyms and remembers the map. Keys are normalised (IPv6
// groups, MAC bytes, lower-case names) so two spellings of one value share one token; the token
// is then written in the original's spelling and width.
// When a token cannot be drawn at all (a shape with no room left), the value is replaced by
// `<REDACTED:category>`: the column shifts, but nothing leaks.
export class Pseudonymizer implements TokenSource {
  private readonly v4: TokenTable<string>;
  private readonly v6: TokenTable<number[]>;
  private readonly macs: TokenTable<number[]>;
  private readonly low24: TokenTable<number>;
  private readonly guids: TokenTable<string>;
  private readonly labels: TokenTable<string>;
  private readonly entries = new Map<string, MappingEntry>();

  constructor(secret: Buffer) {
    this.v4 = new TokenTable(secret, 'ipv4', (t) => t);
    this.v6 = new TokenTable<number[]>(secret, 'ipv6', ipv6Key);
    this.macs = new TokenTable<number[]>(secret, 'mac', macHex);
    this.low24 = new TokenTable(secret, 'solicited-node', (n) => n.toString(16));
    this.guids = new TokenTable(secret, 'guid', (t) => t);
    this.labels = new TokenTable(secret, 'label', (t) => t);
  }

  mapping(): MappingEntry[] {
    return [...this.entries.values()];
  }

  ipv4(text: string): string {
    const p = parseIPv4(text);
    if (p === undefined || isKeptIPv4(p.value)) return text;
    const token = this.v4.get(ipv4ToText(p.value), String(text.length), (s) =>
      ipv4Token(s, text.length),
    );
    if (token === undefined) return this.record('ipv4', text, categoryMarker('ipv4'));
    return this.record('ipv4', text, p.separator === '-' ? token.replaceAll('.', '-') : token);
  }

  ipv6(text: string): string {
    const p = parseIPv6(text);
    if (p === undefined) return text;
    const plan = ipv6Plan(p.groups);
    if (plan === 'keep') return text;
    if (plan === 'embedded-v4') return this.embeddedV4(text, p);
    const key = ipv6Key(p.groups);
    const token = this.v6.get(key, '', (s) => {
      const g = p.groups;
      if (plan === 'solicited-node') {
        const low = this.solicited(g[6]!, g[7]!);
        return low === undefined ? undefined : [...g.slice(0, 6), ...low];
      }
      if (plan === 'link-local-iid') {
        const t = [...g.slice(0, 4), ...g.slice(4).map((x) => groupLike(s, x))];
        // The token must not look EUI-64 itself, or it would claim to spell a MAC.
        return isEui64(t) ? undefined : t;
      }
      // 3fff::/16: the first /20 is the RFC 9637 documentation prefix; the first group of every
      // global, ULA or site-local address has four digits, so the width is kept.
      return [0x3fff, ...g.slice(1).map((x) => groupLike(s, x))];
    });
    if (token === undefined) return this.record('ipv6', text, categoryMarker('ipv6'));
    const v4 = p.v4Text === undefined ? undefined : this.ipv4(p.v4Text);
    return this.record('ipv6', text, renderIPv6(token, p, v4));
  }

  // ::ffff:10.1.2.3 and friends: the prefix names no host, the IPv4 part gets the IPv4 token,
  // so the mapped and bare forms of one address read the same.
  private embeddedV4(text: string, p: ParsedIPv6): string {
    const v4 = embeddedIPv4(p.groups);
    if (p.v4Text !== undefined)
      return this.record('ipv6', text, renderIPv6(p.groups, p, this.ipv4(p.v4Text)));
    const tokenText = this.ipv4(ipv4ToText(v4));
    const token = parseIPv4(tokenText);
    if (token === undefined) return this.record('ipv6', text, categoryMarker('ipv6'));
    const groups = [...p.groups.slice(0, 6), token.value >>> 16, token.value & 0xffff];
    return this.record('ipv6', text, renderIPv6(groups, p));
  }

  // The low 24 bits of a solicited-node address (ff02::1:ffXX:YYZZ) and of its multicast MAC
  // (33:33:ff:XX:YY:ZZ) get one shared token, keeping the two forms paired. YYZZ keeps its
  // digit count so the IPv6 spelling keeps its width.
  private solicited(g6: number, g7: number): number[] | undefined {
    const original = ((g6 & 0xff) << 16) | g7;
    const token = this.low24.get(original.toString(16).padStart(6, '0'), '', (s) => {
      const high = s.byte();
      return (high << 16) | groupLike(s, g7);
    });
    return token === undefined ? undefined : [0xff00 | (token >> 16), token & 0xffff];
  }

  mac(text: string): string {
    const p = parseMac(text);
    if (p === undefined) return text;
    const plan = macPlan(p.bytes);
    if (plan === 'keep') return text;
    if (plan === 'solicited-node') {
      const low = this.solicited(p.bytes[3]!, (p.bytes[4]! << 8) | p.bytes[5]!);
      if (low === undefined) return this.record('mac', text, categoryMarker('mac'));
      const [g6, g7] = low as [number, number];
      const bytes = [0x33, 0x33, 0xff, g6 & 0xff, g7 >> 8, g7 & 0xff];
      return this.record('mac', text, renderMac(bytes, p.style, p.upper));
    }
    const token = this.macs.get(macHex(p.bytes), '', (s) => macToken(s, p.bytes.length));
    if (token === undefined) return this.record('mac', text, categoryMarker('mac'));
    return this.record('mac', text, renderMac(token, p.style, p.upper));
  }

  guid(text: string): string {
    const p = parseGuid(text);
    if (p === undefined || isKeptGuid(p.hex)) return text;
    const token = this.guids.get(p.hex, '', guidToken);
    if (token === undefined) return this.record('guid', text, categoryMarker('guid'));
    return this.record('guid', text, renderGuid(token, p.dashed, p.upper));
  }

  label(category: LabelCategory, text: string): string {
    const key = `${category}\u0000${labelKey(category, text)}`;
    // The shape names the token space, one per category and length (prefixes differ).
    const token = this.labels.get(key, `${category}\u0000${text.length}`, (s) =>
      labelToken(s, category, text.length),
    );
    return this.record(category, text, token ?? categoryMarker(category));
  }

  private record(category: Category, original: string, pseudonym: string): string {
    if (original !== pseudonym) {
      const id = `${category}\u0000${original}`;
      if (!this.entries.has(id)) this.entries.set(id, { category, original, pseudonym });
    }
    return pseudonym;
  }
}
