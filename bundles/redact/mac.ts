import type { DigestStream } from './digest.js';

// colon: ip link, ethtool -P; dash: Windows-style tools; dot: Cisco `0012.3456.789a`;
// bare: Azure IMDS `macAddress` (`000D3A123456`) and sysfs-derived names.
export type MacStyle = 'colon' | 'dash' | 'dot' | 'bare';

export interface ParsedMac {
  readonly bytes: readonly number[];
  readonly style: MacStyle;
  readonly upper: boolean;
}

// Link-layer addresses longer than 6 bytes (EUI-64, the 20-byte IPoIB address, the 14-byte
// MAC= field of iptables logs) appear colon-separated; lspci prints a NIC's EUI-64 serial
// number (`Device Serial Number 00-0d-3a-ff-ff-12-34-56`) dash-separated. The accepted shapes:
//   colon  [0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5,19}
//   dash   [0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}(?:(?:-[0-9A-Fa-f]{2}){2})?
//   dot    [0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}
//   bare   [0-9A-Fa-f]{12}
// read here in one pass over the characters: every MAC of a log goes through this (the detector
// and the pseudonymizer both parse it), and four regexes, a replace and a parseInt per byte were
// a tenth of the redaction.

// The value of a hex digit, or -1.
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

// The style whose separators sit where `text` has them, or undefined.
function styleOf(text: string): MacStyle | undefined {
  const n = text.length;
  if (n === 12) return 'bare';
  if (n === 14 && text.charCodeAt(4) === 46 && text.charCodeAt(9) === 46) return 'dot';
  if ((n + 1) % 3 !== 0) return undefined;
  const pairs = (n + 1) / 3;
  const sep = text.charCodeAt(2);
  if (sep === 58) return pairs >= 6 && pairs <= 20 ? 'colon' : undefined;
  if (sep === 45) return pairs === 6 || pairs === 8 ? 'dash' : undefined;
  return undefined;
}

export function parseMac(text: string): ParsedMac | undefined {
  const style = styleOf(text);
  if (style === undefined) return undefined;
  const bytes: number[] = [];
  let upper = false;
  let high = -1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    const separator =
      style === 'colon' || style === 'dash' ? i % 3 === 2 : style === 'dot' && (i === 4 || i === 9);
    if (separator) {
      if (c !== (style === 'colon' ? 58 : style === 'dash' ? 45 : 46)) return undefined;
      continue;
    }
    const d = hexDigit(c);
    if (d < 0) return undefined;
    if (c >= 65 && c <= 70) upper = true;
    if (high < 0) high = d;
    else {
      bytes.push((high << 4) | d);
      high = -1;
    }
  }
  return { bytes, style, upper };
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function macHex(bytes: readonly number[]): string {
  let out = '';
  for (const b of bytes) out += HEX_PAIRS[b]!;
  return out;
}

export function renderMac(bytes: readonly number[], style: MacStyle, upper: boolean): string {
  let out = '';
  if (style === 'colon' || style === 'dash') {
    const sep = style === 'colon' ? ':' : '-';
    for (let i = 0; i < bytes.length; i += 1) out += (i === 0 ? '' : sep) + HEX_PAIRS[bytes[i]!]!;
  } else {
    const hex = macHex(bytes);
    out = style === 'dot' ? `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8, 12)}` : hex;
  }
  return upper ? out.toUpperCase() : out;
}

// Every MAC token starts with d2:ec. 0xd2 has the locally-administered bit set and the group
// bit clear (a unicast "x2" MAC), so the token still reads as a NIC address, and the fixed second
// byte lets the leak scan tell our tokens from real MACs (a real locally-administered MAC with
// this prefix, 1 in 65536 of them, would be left as is: see README caveats).
export const TOKEN_PREFIX = [0xd2, 0xec] as const;

// - keep: all-zero (loopback, tunnels), all-ff (broadcast), multicast (group bit set: 01:00:5e
//   and 33:33 carry a group address, not a NIC), and our own tokens.
// - solicited-node: 33:33:ff:XX:XX:XX carries the low 24 bits of a unicast IPv6 address.
// - redact: everything else.
export type MacPlan = 'keep' | 'solicited-node' | 'redact';

export function macPlan(bytes: readonly number[]): MacPlan {
  if (bytes.every((b) => b === 0) || bytes.every((b) => b === 0xff)) return 'keep';
  if (bytes[0] === TOKEN_PREFIX[0] && bytes[1] === TOKEN_PREFIX[1]) return 'keep';
  if (bytes.length === 6 && bytes[0] === 0x33 && bytes[1] === 0x33 && bytes[2] === 0xff)
    return 'solicited-node';
  if ((bytes[0]! & 0x01) === 0x01) return 'keep';
  return 'redact';
}

export function macToken(stream: DigestStream, length: number): number[] {
  const bytes: number[] = [...TOKEN_PREFIX];
  while (bytes.length < length) bytes.push(stream.byte());
  return bytes;
}
