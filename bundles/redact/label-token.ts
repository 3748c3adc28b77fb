import type { LabelCategory } from './categories.js';
import type { DigestStream } from './digest.js';

// Names become `<prefix><hex>`: host-, dom-, user-, res- (Azure resource and group names),
// kw- (user keywords). The token takes exactly the original's length so `/proc/net/dev`-style
// columns and path widths do not move.
const PREFIX: Record<LabelCategory, string> = {
  hostname: 'host-',
  domain: 'dom-',
  user: 'user-',
  'azure-name': 'res-',
  keyword: 'kw-',
};

// Names too short for the long prefix plus four hex digits use one letter instead, chosen
// outside a-f so the token never reads as pure hex.
const SHORT: Record<LabelCategory, string> = {
  hostname: 'h',
  domain: 'n',
  user: 'u',
  'azure-name': 'r',
  keyword: 'k',
};

// `plain`: one letter and hex, never the long prefix, so the token has no `-` (an AKS pool name,
// whose token must fit inside a node name: node-names.ts).
export function labelToken(
  stream: DigestStream,
  category: LabelCategory,
  length: number,
  plain = false,
): string {
  const prefix = PREFIX[category];
  if (!plain && length >= prefix.length + 4) return prefix + stream.hex(length - prefix.length);
  if (length >= 2) return SHORT[category] + stream.hex(length - 1);
  return stream.hex(1);
}

// Host and domain names are case-insensitive (DNS), so are Azure names and user keywords;
// Linux user names are not.
export function labelKey(category: LabelCategory, text: string): string {
  return category === 'user' ? text : text.toLowerCase();
}

// `length` random digits: the cluster hash in an AKS node name.
export function digitToken(stream: DigestStream, length: number): string {
  let out = '';
  while (out.length < length) out += String(stream.below(10));
  return out;
}
