import {
  type Category,
  categoryMarker,
  type LabelCategory,
  type MappingEntry,
} from './categories.js';
import type { TokenSource } from './finding.js';
import { guidToken, isKeptGuid, parseGuid, renderGuid } from './guid.js';
import {
  ipv4Network,
  ipv4Pseudonym,
  ipv4ToText,
  isIPv4Network,
  isKeptIPv4,
  isZeroPadded,
  parseIPv4,
} from './ipv4.js';
import {
  embeddedIPv4,
  eui64Groups,
  eui64Mac,
  groupLike,
  type IPv6Plan,
  ipv6Key,
  ipv6Network,
  ipv6Plan,
  ipv6Pseudonym,
  isIPv6Network,
  type ParsedIPv6,
  parseIPv6,
  renderIPv6,
} from './ipv6.js';
import { isKeptName, MIN_NAME_LENGTH } from './keep-names.js';
import { digitToken, labelKey, labelToken } from './label-token.js';
import { macHex, macPlan, macToken, parseMac, renderMac } from './mac.js';
import { isPoolShaped, parseAksName, parseScaleSetName } from './node-names.js';
import { PrefixTree } from './prefix-tree.js';
import { DerivedTokens, TokenTable } from './token-table.js';

// Turns original spellings into pseudonyms and remembers the map. Keys are normalised (IPv6
// groups, MAC bytes, lower-case names) so two spellings of one value share one token; the token
// is then written in the original's spelling (and, except for IPv4, its width).
// Addresses are prefix-preserving (prefix-tree.ts): the token of a network's host shares the
// token of the network. An address written with its prefix length (`10.0.0.0/8`, from a route)
// whose host bits are all zero is written as the network of its token, with the same length.
// When a token cannot be drawn at all (a shape with no room left, or two addresses with one
// prefix-preserving token), the value is replaced by `<REDACTED:category>`: the column shifts,
// but nothing leaks.
export class Pseudonymizer implements TokenSource {
  private readonly v4Tree: PrefixTree;
  private readonly v6Tree: PrefixTree;
  private readonly v4 = new DerivedTokens<number>(String);
  private readonly v6 = new DerivedTokens<number[]>(ipv6Key);
  private readonly aksHashes: TokenTable<string>;
  private readonly macs: TokenTable<number[]>;
  private readonly low24: TokenTable<number>;
  private readonly guids: TokenTable<string>;
  private readonly labels: TokenTable<string>;
  private readonly entries = new Map<string, MappingEntry>();
  // Every token handed out (lower case): a text redacted twice, a bundle name or path built from
  // a token, must not have its tokens taken for originals. AKS-shaped tokens would otherwise
  // match the AKS node-name pattern again, and be learned as names to hide.
  private readonly issued = new Set<string>();

  constructor(secret: Buffer) {
    this.v4Tree = new PrefixTree(secret, 'ipv4-prefix');
    this.v6Tree = new PrefixTree(secret, 'ipv6-prefix');
    this.aksHashes = new TokenTable(secret, 'aks-hash', (t) => t);
    this.macs = new TokenTable<number[]>(secret, 'mac', macHex);
    this.low24 = new TokenTable(secret, 'solicited-node', (n) => n.toString(16));
    this.guids = new TokenTable(secret, 'guid', (t) => t);
    this.labels = new TokenTable(secret, 'label', (t) => t);
  }

  // Replacements already written, by method and original spelling. A value is replaced every
  // time it occurs (a log names one host on every line), and its replacement never changes once
  // made: the tables below remember every draw, success or failure, and `record` has already
  // noted it. So each distinct spelling is parsed, digested and rendered once.
  private readonly written = new Map<string, Map<string, string>>();

  mapping(): MappingEntry[] {
    return [...this.entries.values()];
  }

  // The replacements of one method, by original spelling.
  private memo(kind: string): Map<string, string> {
    let done = this.written.get(kind);
    if (done === undefined) {
      done = new Map();
      this.written.set(kind, done);
    }
    return done;
  }

  private remember(done: Map<string, string>, text: string, out: string): string {
    done.set(text, out);
    return out;
  }

  // Each looks its spelling up first and makes the replacement only when it is new. (Written
  // without a closure per call: these run once per value of every line.)
  ipv4(text: string): string {
    const done = this.memo('ipv4');
    return done.get(text) ?? this.remember(done, text, this.ipv4Uncached(text));
  }

  ipv6(text: string): string {
    const done = this.memo('ipv6');
    return done.get(text) ?? this.remember(done, text, this.ipv6Uncached(text));
  }

  mac(text: string): string {
    const done = this.memo('mac');
    return done.get(text) ?? this.remember(done, text, this.macUncached(text));
  }

  guid(text: string): string {
    const done = this.memo('guid');
    return done.get(text) ?? this.remember(done, text, this.guidUncached(text));
  }

  label(category: LabelCategory, text: string): string {
    const done = this.memo(category);
    return done.get(text) ?? this.remember(done, text, this.labelUncached(category, text));
  }

  private ipv4Uncached(text: string): string {
    const { address, suffix, length } = splitPrefixLength(text);
    const p = parseIPv4(address);
    if (p === undefined || isKeptIPv4(p.value)) return text;
    const token = this.v4.get(String(p.value), () => ipv4Pseudonym(this.v4Tree, p.value));
    if (token === undefined) return this.record('ipv4', text, categoryMarker('ipv4') + suffix);
    // From /8 on: the first octet is not prefix-preserving (ipv4.ts), so no shorter network is.
    const shown =
      length !== undefined && length >= 8 && isIPv4Network(p.value, length)
        ? ipv4Network(token, length)
        : token;
    const written = ipv4ToText(shown, p.separator, isZeroPadded(address));
    return this.record('ipv4', text, written + suffix);
  }

  private ipv6Uncached(text: string): string {
    const { address, suffix, length } = splitPrefixLength(text);
    const p = parseIPv6(address);
    if (p === undefined) return text;
    const plan = ipv6Plan(p.groups);
    if (plan === 'keep') return text;
    if (plan === 'embedded-v4') return this.embeddedV4(address, p) + suffix;
    const token = this.ipv6Groups(p.groups, plan);
    if (token === undefined) return this.record('ipv6', text, categoryMarker('ipv6') + suffix);
    const shown =
      plan === 'global' && length !== undefined && length >= 16 && isIPv6Network(p.groups, length)
        ? ipv6Network(token, length)
        : token;
    const v4 = p.v4Text === undefined ? undefined : this.ipv4(p.v4Text);
    return this.record('ipv6', text, renderIPv6(shown, p, v4) + suffix);
  }

  private ipv6Groups(g: readonly number[], plan: IPv6Plan): number[] | undefined {
    if (plan === 'solicited-node') {
      const low = this.solicited(g[6]!, g[7]!);
      return low === undefined ? undefined : [...g.slice(0, 6), ...low];
    }
    // The interface id spells the MAC: it spells the MAC's token instead, so `ip addr` still
    // shows the link-local address that goes with the (pseudonymised) link/ether.
    if (plan === 'link-local-iid') {
      const mac = this.macBytes(eui64Mac(g));
      return mac === undefined ? undefined : [...g.slice(0, 4), ...eui64Groups(mac)];
    }
    return this.v6.get(ipv6Key(g), () => ipv6Pseudonym(this.v6Tree, g));
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

  private macUncached(text: string): string {
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
    const token = this.macBytes(p.bytes);
    if (token === undefined) return this.record('mac', text, categoryMarker('mac'));
    return this.record('mac', text, renderMac(token, p.style, p.upper));
  }

  private macBytes(bytes: readonly number[]): number[] | undefined {
    return this.macs.get(macHex(bytes), '', (s) => macToken(s, bytes.length));
  }

  private guidUncached(text: string): string {
    const p = parseGuid(text);
    if (p === undefined || isKeptGuid(p.hex)) return text;
    const token = this.guids.get(p.hex, '', guidToken);
    if (token === undefined) return this.record('guid', text, categoryMarker('guid'));
    return this.record('guid', text, renderGuid(token, p.dashed, p.upper));
  }

  private labelUncached(category: LabelCategory, text: string): string {
    const structured = this.structuredName(category, text);
    if (structured !== undefined) return this.record(category, text, structured);
    const key = labelKey(category, text);
    // An Azure name shaped like an AKS pool gets a token without `-`, the one it also gets
    // inside node names.
    const plain = category === 'azure-name' && isPoolShaped(key);
    // The shape names the token space, one per category, length and form (prefixes differ).
    const token = this.labels.get(
      `${category}\u0000${key}`,
      `${category}\u0000${text.length}${plain ? '\u0000plain' : ''}`,
      (s) => labelToken(s, category, text.length, plain),
    );
    return this.record(category, text, token ?? categoryMarker(category));
  }

  // AKS node and scale-set names, and scale-set computer names, part by part (node-names.ts).
  private structuredName(category: LabelCategory, text: string): string | undefined {
    if (category !== 'hostname' && category !== 'azure-name') return undefined;
    const aks = parseAksName(text);
    if (aks !== undefined) {
      const hash = this.aksHashes.get(aks.hash, String(aks.hash.length), (s) =>
        digitToken(s, aks.hash.length),
      );
      if (hash === undefined) return undefined;
      return `${aks.head}${this.namePart('azure-name', aks.pool)}-${hash}${aks.tail}`;
    }
    if (category !== 'hostname') return undefined;
    const vmss = parseScaleSetName(text, MIN_NAME_LENGTH);
    return vmss === undefined
      ? undefined
      : `${this.namePart('hostname', vmss.prefix)}${vmss.instance}`;
  }

  private namePart(category: LabelCategory, text: string): string {
    return isKeptName(category, text) ? text : this.label(category, text);
  }

  private record(category: Category, original: string, pseudonym: string): string {
    if (original !== pseudonym) {
      const id = `${category}\u0000${original}`;
      if (!this.entries.has(id)) this.entries.set(id, { category, original, pseudonym });
      this.issued.add(pseudonym.toLowerCase());
    }
    return pseudonym;
  }

  // Whether `text` is a token this pseudonymizer handed out.
  isToken(text: string): boolean {
    return this.issued.has(text.toLowerCase());
  }
}

// `10.0.0.0/8` -> the address and `/8`; anything else is an address alone.
function splitPrefixLength(text: string): { address: string; suffix: string; length?: number } {
  const slash = text.indexOf('/');
  if (slash < 0) return { address: text, suffix: '' };
  const suffix = text.slice(slash);
  const length = /^\/\d{1,3}$/.test(suffix) ? Number(suffix.slice(1)) : undefined;
  const address = text.slice(0, slash);
  return length === undefined ? { address, suffix } : { address, suffix, length };
}
