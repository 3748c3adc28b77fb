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
// number (`Device Serial Number 00-0d-3a-ff-ff-12-34-56`) dash-separated.
const COLON = /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5,19}$/;
const DASH = /^[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}(?:(?:-[0-9A-Fa-f]{2}){2})?$/;
const DOT = /^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/;
const BARE = /^[0-9A-Fa-f]{12}$/;

export function parseMac(text: string): ParsedMac | undefined {
  let style: MacStyle;
  if (COLON.test(text)) style = 'colon';
  else if (DASH.test(text)) style = 'dash';
  else if (DOT.test(text)) style = 'dot';
  else if (BARE.test(text)) style = 'bare';
  else return undefined;
  const hex = text.replace(/[:.-]/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 2) bytes.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return { bytes, style, upper: /[A-F]/.test(text) };
}

export function macHex(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function renderMac(bytes: readonly number[], style: MacStyle, upper: boolean): string {
  const hex = macHex(bytes);
  const pairs = hex.match(/../g) ?? [];
  let out: string;
  if (style === 'colon') out = pairs.join(':');
  else if (style === 'dash') out = pairs.join('-');
  else if (style === 'dot') out = `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8, 12)}`;
  else out = hex;
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
