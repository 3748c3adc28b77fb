import { quotedText } from '../../kit/terminal-text.js';

// A name from the input (an archive member, a link target, a file name) in
// a message: as it is when plain printable ASCII, else quoted and escaped
// (quotedText), and cut short.
export function shown(name: string): string {
  if (/^[\x20-\x7e]*$/.test(name) && name.length <= 256) return name;
  return quotedText(name, 256);
}

// Always quoted: for a link target, where `"/"` reads better than `/`.
export function quoted(name: string): string {
  const s = shown(name);
  return s.startsWith('"') ? s : JSON.stringify(s);
}
