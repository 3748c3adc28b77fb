import { digestBlock } from './digest.js';

// Prefix-preserving pseudonyms, the idea of Crypto-PAn (Xu, Fan, Ammar, Moon, 2002): every bit of
// the pseudonym is the original bit, flipped or not by a key bit chosen by the bits above it.
// Two addresses that share their first n bits then share the first n bits of their pseudonyms,
// and no more: a /24 stays one /24, and two /24s of one /16 stay two /24s of one /16. Without the
// secret, the flips say nothing about the original.
//
// The flips are drawn a byte at a time: a byte is an 8-level binary tree of 255 nodes (numbered
// from 1 at the root, children 2n and 2n + 1), and one HMAC of everything above the byte gives a
// key bit for each node. A node may also be held fixed, which keeps a shape: see the paths below.
export type FixedNodes = (node: number) => boolean;

// Nothing fixed: the byte is as random as the prefix above it allows.
export const NO_FIXED: FixedNodes = () => false;

// The all-zero path: 0 stays 0, and every value keeps its number of leading zero bits (so an IPv6
// group keeps its hex digit count, and a zero group stays zero).
export const ZERO_PATH: FixedNodes = (node) => (node & (node - 1)) === 0;

// The all-zero and all-one paths: 0 stays 0 and 255 stays 255, so a network or broadcast address
// whose host part ends on this byte stays one.
export const EDGE_PATHS: FixedNodes = (node) =>
  (node & (node - 1)) === 0 || (node & (node + 1)) === 0;

// `flips` is asked for only when the path of `value` reaches a node that is not fixed: a zero
// byte under ZERO_PATH (every `::` of an IPv6 address) costs no HMAC at all.
export function permuteByte(flips: () => Uint8Array, value: number, fixed: FixedNodes): number {
  let node = 1;
  let out = 0;
  let key: Uint8Array | undefined;
  for (let bit = 7; bit >= 0; bit -= 1) {
    const b = (value >> bit) & 1;
    let flip = 0;
    if (!fixed(node)) {
      key ??= flips();
      flip = (key[node >> 3]! >> (node & 7)) & 1;
    }
    out = (out << 1) | (b ^ flip);
    node = node * 2 + b;
  }
  return out;
}

// The key bits of one redactor, per prefix. Prefixes that many addresses share (a /24, a /64)
// are remembered; the deep ones of IPv6 are nearly unique per address and are not, so memory
// follows the number of networks rather than 14 blocks per address.
export class PrefixTree {
  private readonly secret: Buffer;
  private readonly namespace: string;
  private readonly known = new Map<string, Buffer>();

  constructor(secret: Buffer, namespace: string) {
    this.secret = secret;
    this.namespace = namespace;
  }

  // 32 key bytes for `prefix`, which names the bits above the byte (and which byte it is).
  block(prefix: string, remember = true): Buffer {
    const hit = this.known.get(prefix);
    if (hit !== undefined) return hit;
    const block = digestBlock(this.secret, this.namespace, prefix);
    if (remember) this.known.set(prefix, block);
    return block;
  }

  // `value`, the byte below `prefix`, permuted.
  permute(prefix: string, value: number, fixed: FixedNodes, remember = true): number {
    return permuteByte(() => this.block(prefix, remember), value, fixed);
  }
}
