import { EDGE_PATHS, NO_FIXED, type PrefixTree } from './prefix-tree.js';

export interface ParsedIPv4 {
  readonly value: number;
  // AWS host names spell the address with dashes (`ip-10-1-2-3`); the token keeps the spelling.
  readonly separator: '.' | '-';
}

// `^(\d{1,3})([.-])(\d{1,3})\2(\d{1,3})\2(\d{1,3})$`, read in one pass over the characters: every
// address of every text is parsed here (by the detector, then the pseudonymizer), and the regex's
// match array per address was a good part of the detector's time.
export function parseIPv4(text: string): ParsedIPv4 | undefined {
  const n = text.length;
  if (n < 7 || n > 15) return undefined;
  let value = 0;
  let octets = 0;
  let separator = 0;
  let i = 0;
  for (;;) {
    let octet = 0;
    const from = i;
    for (let c = text.charCodeAt(i); c >= 48 && c <= 57 && i - from < 3; c = text.charCodeAt(i)) {
      octet = octet * 10 + c - 48;
      i += 1;
    }
    if (i === from || octet > 255) return undefined;
    value = value * 256 + octet;
    octets += 1;
    if (octets === 4) break;
    const sep = text.charCodeAt(i);
    if (separator === 0 && (sep === 46 || sep === 45)) separator = sep;
    if (sep !== separator) return undefined;
    i += 1;
  }
  if (i !== n) return undefined;
  return { value: value >>> 0, separator: separator === 45 ? '-' : '.' };
}

export function fromOctets(octets: readonly number[]): number {
  return (((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!) >>> 0;
}

// `padded` writes every octet with three digits, as `010.001.002.003`.
export function ipv4ToText(value: number, separator: '.' | '-' = '.', padded = false): string {
  const octets = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
  return octets.map((o) => (padded ? String(o).padStart(3, '0') : String(o))).join(separator);
}

// Azure's wireserver/DNS/DHCP address: the same on every VM, and evidence in itself.
export const AZURE_WIRESERVER = fromOctets([168, 63, 129, 16]);

// A contiguous netmask (255.255.240.0): says nothing about a host, and ifconfig/route print them.
export function isNetmask(value: number): boolean {
  const inverted = ~value >>> 0;
  return (inverted & (inverted + 1)) === 0;
}

// Addresses that stay readable. 0.0.0.0/8 and 240.0.0.0/4 are never host addresses in practice
// (this-network and reserved); they hold 0.0.0.0, 255.255.255.255 and our own tokens, so keeping
// them makes redaction idempotent and lets the leak scan recognise its own pseudonyms.
export function isKeptIPv4(value: number): boolean {
  const a = value >>> 24;
  const b = (value >>> 16) & 255;
  if (a === 0 || a === 127 || a >= 224) return true; // this-network, loopback, multicast, reserved
  if (a === 169 && b === 254) return true; // link-local, includes IMDS 169.254.169.254
  if (value === AZURE_WIRESERVER) return true;
  return isNetmask(value);
}

// Pseudonyms live in 240.0.0.0/4 (reserved, never routed, kept by the rules above), with a first
// octet that no netmask has (240, 248, 252, 254, 255 are left out), so a pseudonym never reads as
// a netmask or as the broadcast address.
const FIRST_OCTETS = [241, 242, 243, 244, 245, 246, 247, 249, 250, 251, 253];

// The pseudonym of a non-kept address, prefix-preserving below the first octet:
// - the first octet is one of FIRST_OCTETS, drawn from the original first octet alone, so a /8
//   stays one /8; 222 possible /8s share 11 values, so two /8s may share one (and addresses of
//   two such /8s share nothing more than chance gives);
// - the other 24 bits are permuted bit by bit under the original's prefix (prefix-tree.ts), so a
//   /16, /20, /24 or /27 of the original is one network of the same length in the pseudonym;
// - octets 3 and 4 keep 0 and 255 (and with them their distance from 0 or 255 in powers of two:
//   .1 stays .1, .4 becomes one of .4 to .7), so the network and broadcast addresses of a /16 or
//   /24 stay those of the pseudonymised network.
export function ipv4Pseudonym(tree: PrefixTree, value: number): number {
  const a = value >>> 24;
  const first = FIRST_OCTETS[tree.block(`0:${a}`).readUInt32BE(0) % FIRST_OCTETS.length]!;
  const b = tree.permute(`1:${a}`, (value >>> 16) & 255, NO_FIXED);
  const c = tree.permute(`2:${value >>> 16}`, (value >>> 8) & 255, EDGE_PATHS);
  const d = tree.permute(`3:${value >>> 8}`, value & 255, EDGE_PATHS);
  return fromOctets([first, b, c, d]);
}

// Whether `value` is the network address of its /`length` (every host bit zero).
export function isIPv4Network(value: number, length: number): boolean {
  return length >= 0 && length <= 32 && ipv4Network(value, length) === value;
}

export function ipv4Network(value: number, length: number): number {
  return length === 0 ? 0 : (value & (~0 << (32 - length))) >>> 0;
}

// `010.001.002.003`: a zero-padded original gets a zero-padded pseudonym.
export function isZeroPadded(text: string): boolean {
  return /(?:^|[.-])0\d/.test(text);
}
