import type { DigestStream } from './digest.js';

export interface ParsedIPv4 {
  readonly value: number;
  // AWS host names spell the address with dashes (`ip-10-1-2-3`); the token keeps the spelling.
  readonly separator: '.' | '-';
}

const QUAD = /^(\d{1,3})([.-])(\d{1,3})\2(\d{1,3})\2(\d{1,3})$/;

export function parseIPv4(text: string): ParsedIPv4 | undefined {
  const m = QUAD.exec(text);
  if (!m) return undefined;
  // Called several times for every address of every text: no intermediate arrays.
  const a = Number(m[1]);
  const b = Number(m[3]);
  const c = Number(m[4]);
  const d = Number(m[5]);
  if (a > 255 || b > 255 || c > 255 || d > 255) return undefined;
  return { value: fromOctets([a, b, c, d]), separator: m[2] === '-' ? '-' : '.' };
}

export function fromOctets(octets: readonly number[]): number {
  return (((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!) >>> 0;
}

export function ipv4ToText(value: number, separator: '.' | '-' = '.'): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(separator);
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

// Every way to split `digits` decimal digits over three octets of 1-3 digits each.
function widthSplits(digits: number): number[][] {
  const out: number[][] = [];
  for (const a of [1, 2, 3])
    for (const b of [1, 2, 3]) {
      const c = digits - a - b;
      if (c >= 1 && c <= 3) out.push([a, b, c]);
    }
  return out;
}

function octetOfWidth(stream: DigestStream, width: number): number {
  if (width === 1) return stream.below(10);
  if (width === 2) return 10 + stream.below(90);
  return 100 + stream.below(156);
}

// A token that reads as an IPv4 and has exactly `length` characters, so fixed-width tables
// (/proc/net/arp, netstat, ss) keep their columns. Originals of 9-15 characters map into
// 240.0.0.0/4 (first octet 240-255); 7-8 characters cannot fit a three-digit first octet, so
// they map into 0.0.0.0/8 (`0.12.3.4`). Both ranges are reserved and never routed.
// Returns undefined for a draw that would be confusing (a netmask such as 0.0.0.0 or
// 255.255.255.0); the caller then draws again with the next attempt number.
export function ipv4Token(stream: DigestStream, length: number): string | undefined {
  if (length < 7 || length > 15) return undefined;
  const short = length <= 8;
  const splits = widthSplits(length - 3 - (short ? 1 : 3));
  const widths = splits[stream.below(splits.length)];
  if (widths === undefined) return undefined;
  const first = short ? 0 : 240 + stream.below(16);
  const octets = [first, ...widths.map((w) => octetOfWidth(stream, w))];
  const value = fromOctets(octets);
  if (isNetmask(value)) return undefined;
  return octets.join('.');
}
