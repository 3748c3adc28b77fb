import { quotedText } from '../kit/terminal-text.js';

// Interface names follow the kernel's own rule (dev_valid_name() in
// net/core/dev.c): 1 to 15 bytes (IFNAMSIZ is 16 with the NUL), not "." or
// "..", and no '/', ':' or whitespace. Control characters are refused too:
// no real interface has one, and a name is printed on terminals. A host sends
// these names; one that breaks the rule is forged and is never used, least of
// all in a path (ethtool/<iface>/…). Pure.

const IFNAMSIZ = 16;

// The kernel's isspace() (lib/ctype.c): \t \n \v \f \r, space, and Latin-1
// NBSP (0xa0), which it checks byte by byte, so a UTF-8 byte 0xa0 counts.
const SPACE_BYTES = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0]);

export function isValidIfaceName(name: string): boolean {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length === 0 || bytes.length >= IFNAMSIZ) return false;
  if (name === '.' || name === '..') return false;
  for (const b of bytes) {
    if (b === 0x2f || b === 0x3a || SPACE_BYTES.has(b)) return false;
    if (b < 0x20 || b === 0x7f) return false;
  }
  // Bytes that were not UTF-8 arrive as U+FFFD: not the host's real name.
  return !name.includes('\ufffd');
}

// A host-sent name for a warning: quoted, control characters escaped, cut
// short, so a forged name can neither rewrite the terminal nor flood it.
export function shownName(name: string): string {
  return quotedText(name, 128);
}
