import { type Finding, PRIORITY, type Priority, prefixLengthAfter } from './finding.js';
import { ipv4ToText, isIPv4Network, isKeptIPv4, parseIPv4 } from './ipv4.js';

// A dotted quad that is not glued to letters, digits or a longer dotted-number run: `5.10.102.1`
// inside `4.5.10.102.1` or `1.3.6.1.2.1` is an OID/version, not an address. A dot right before is
// allowed unless a digit precedes it (`...10.1.2.3` is still an address).
// No capture groups: the octets are read by parseIPv4, and groups cost an array slot each per match.
const DOTTED_QUAD =
  /(?<![0-9A-Za-z])(?<!\d\.)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![0-9A-Za-z]|\.\d)/g;
// `5.10.102.1-microsoft-standard-WSL2`, `2.3.4.5-1ubuntu1`, `1.2.3.4+deb11`, `1.2.3.4~rc1`: a
// version. An address followed by `-10.0.0.9` (a range) is still an address.
const VERSION_SUFFIX = /^(?:-\d*[A-Za-z]|[+~])/;
// `version: 1.2.3.4`, `firmware-version: 16.35.2000.1`, `fw_ver=1.2.3.4`.
const VERSION_KEY =
  /(?<![A-Za-z])(?:version|ver|firmware|fw)(?![A-Za-z])[\w-]*\s*[:=]?\s*["']?[vV]?$/i;

// Only the 48 characters before the quad, cut at a line break, are looked at. (Searching back for
// the line's start from every quad was quadratic on a long line of addresses.) Nearly every
// address is followed by none of `-`, `+`, `~` and has no `v` or `f` (of `version`, `ver`,
// `firmware`, `fw`) before it on its line: those are told by their characters, without a slice
// or a regex per address. `letters`, shared by the quads of one text, finds the letters once for
// the whole text instead of reading back from every quad.
export function isVersionContext(
  text: string,
  start: number,
  end: number,
  letters = new KeyLetters(text),
): boolean {
  const next = text.charCodeAt(end);
  if (
    (next === 45 || next === 43 || next === 126) &&
    VERSION_SUFFIX.test(text.slice(end, end + 24))
  )
    return true;
  const floor = Math.max(0, start - 48);
  // A letter on an earlier line lets VERSION_KEY decide, and it reads the quad's line only.
  const letter = letters.firstFrom(floor);
  if (letter < 0 || letter >= start) return false;
  const before = text.slice(floor, start);
  return VERSION_KEY.test(before.slice(before.lastIndexOf('\n') + 1));
}

// The first `v`, `V`, `f` or `F` of a text at or after a position, for positions that only grow
// (the quads, left to right): each search starts where the last one's answer no longer holds, so
// the whole text is searched about once, however many quads it holds.
export class KeyLetters {
  private readonly re = /[vVfF]/g;
  // The first letter at or after `from`, or -1 for none; `from` -1 before the first search.
  private from = -1;
  private next = -1;

  constructor(private readonly text: string) {}

  firstFrom(position: number): number {
    if (this.from < 0 || position < this.from || (this.next >= 0 && this.next < position)) {
      this.re.lastIndex = position;
      const m = this.re.exec(this.text);
      this.from = position;
      this.next = m === null ? -1 : m.index;
    }
    return this.next;
  }
}

// One replace function for every address finding, not a closure per finding.
const replaceIPv4: Finding['replace'] = (t, o) => t.ipv4(o);

// The canonical text of an address: the spelling itself when it is already canonical (dotted,
// no leading zero), which nearly every address is, else rendered from its value.
function canonicalIPv4(text: string, value: number, separator: '.' | '-'): string {
  if (separator === '.' && !/(?:^|\.)0\d/.test(text)) return text;
  return ipv4ToText(value);
}

// `whole` is the text the address is in, when a network's `/length` after it counts.
function ipv4Finding(
  start: number,
  text: string,
  priority: Priority,
  whole?: string,
): Finding | undefined {
  const p = parseIPv4(text);
  if (p === undefined || isKeptIPv4(p.value)) return undefined;
  const end = start + text.length;
  const suffix = whole === undefined ? undefined : prefixLengthAfter(whole, end);
  const network =
    suffix !== undefined &&
    suffix.length >= 8 &&
    suffix.length < 32 &&
    isIPv4Network(p.value, suffix.length);
  return {
    start,
    end: network ? suffix.end : end,
    category: 'ipv4',
    priority,
    replace: replaceIPv4,
    learn: [{ category: 'ipv4', value: canonicalIPv4(text, p.value, p.separator) }],
  };
}

export function ipv4Findings(text: string): Finding[] {
  const out: Finding[] = [];
  const re = new RegExp(DOTTED_QUAD);
  const letters = new KeyLetters(text);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const end = m.index + m[0].length;
    if (isVersionContext(text, m.index, end, letters)) continue;
    const f = ipv4Finding(m.index, m[0], PRIORITY.pattern, text);
    if (f) out.push(f);
  }
  return out;
}

// AWS names hosts `ip-10-1-2-3` and public names `ec2-54-1-2-3.compute-1.amazonaws.com`; with
// that prefix any dashed quad is an address. Without it, only private-range quads count: a
// dashed run of four small numbers elsewhere is more likely an id than an address.
const PREFIXED_DASHED =
  /(?<![0-9A-Za-z])(?:ip|ec2)-(\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3})(?![0-9A-Za-z]|-\d)/gi;
const BARE_DASHED = /(?<![0-9A-Za-z-])(\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3})(?![0-9A-Za-z]|-\d)/g;

function isPrivateIPv4(value: number): boolean {
  const a = value >>> 24;
  const b = (value >>> 16) & 255;
  return (
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

export function dashedIPv4Findings(text: string): Finding[] {
  const out: Finding[] = [];
  for (const m of text.matchAll(PREFIXED_DASHED)) {
    const quad = m[1]!;
    const f = ipv4Finding(m.index + m[0].length - quad.length, quad, PRIORITY.structure);
    if (f) out.push(f);
  }
  for (const m of text.matchAll(BARE_DASHED)) {
    const p = parseIPv4(m[1]!);
    if (p === undefined || !isPrivateIPv4(p.value)) continue;
    const f = ipv4Finding(m.index, m[1]!, PRIORITY.structure);
    if (f) out.push(f);
  }
  return out;
}
