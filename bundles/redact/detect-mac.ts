import { type Finding, PRIORITY } from './finding.js';
import { type MacPlan, macPlan, parseMac, renderMac } from './mac.js';

// colon (6 to 20 bytes: MAC, EUI-64, IPoIB, iptables MAC= fields), dash (6 or 8), Cisco dot. A colon
// form glued to more hex pairs is part of a longer address and is matched as that.
const MAC_PATTERNS = [
  /(?<![0-9A-Za-z]|[0-9A-Fa-f]:)[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5,19}(?![0-9A-Za-z]|:[0-9A-Fa-f])/g,
  /(?<![0-9A-Za-z]|[0-9A-Fa-f]-)[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}(?:(?:-[0-9A-Fa-f]{2}){2})?(?![0-9A-Za-z]|-[0-9A-Fa-f])/g,
  /(?<![0-9A-Za-z]|[0-9A-Za-z]\.)[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Za-z]|\.[0-9A-Za-z])/g,
];

export interface MacMatch {
  readonly start: number;
  readonly text: string;
  readonly plan: MacPlan;
  readonly bytes: readonly number[];
}

// What every match of each pattern holds, searched first: a pattern that starts with lookbehinds
// is tried at every character, while one that starts with a fixed character is not. A text where
// the word is missing cannot hold a match, so the pattern is skipped: the Cisco dot form was a
// fifth of the detectors' time on a log that holds none. (Every dot form holds the `.hhhh.hhhh`
// after its first group, followed by what ends the whole match.) The words are looked for from
// each of their separators, found by indexOf: regexes for them still read every character, and
// cost as much as the detectors themselves on a log with none.
const MAC_WORDS: ReadonlyArray<(text: string) => boolean> = [
  // `:hh:`
  (text) => holdsWord(text, ':', (at) => isHex(text, at + 1, 2) && text.charCodeAt(at + 3) === 58),
  // `-hh-`
  (text) => holdsWord(text, '-', (at) => isHex(text, at + 1, 2) && text.charCodeAt(at + 3) === 45),
  // `.hhhh.hhhh(?![0-9A-Za-z]|\.[0-9A-Za-z])`
  (text) =>
    holdsWord(
      text,
      '.',
      (at) =>
        isHex(text, at + 1, 4) &&
        text.charCodeAt(at + 5) === 46 &&
        isHex(text, at + 6, 4) &&
        !isAlnum(text.charCodeAt(at + 10)) &&
        !(text.charCodeAt(at + 10) === 46 && isAlnum(text.charCodeAt(at + 11))),
    ),
];

function holdsWord(text: string, separator: string, at: (index: number) => boolean): boolean {
  for (let i = text.indexOf(separator); i >= 0; i = text.indexOf(separator, i + 1))
    if (at(i)) return true;
  return false;
}

// charCodeAt past the end is NaN, which is neither.
function isHex(text: string, from: number, count: number): boolean {
  for (let i = from; i < from + count; i += 1) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

// Whether `text` holds the word of MAC_PATTERNS[k].
export function holdsMacWord(k: number, text: string): boolean {
  return MAC_WORDS[k]!(text);
}

// One at a time, like IPv6 matches: most of a text of colon hex runs may be kept addresses.
export function* macMatches(text: string): Generator<MacMatch> {
  for (let k = 0; k < MAC_PATTERNS.length; k += 1) {
    if (!holdsMacWord(k, text)) continue;
    const re = new RegExp(MAC_PATTERNS[k]!);
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const p = parseMac(m[0]);
      if (p) yield { start: m.index, text: m[0], plan: macPlan(p.bytes), bytes: p.bytes };
    }
  }
}

const replaceMac: Finding['replace'] = (t, o) => t.mac(o);

// The colon spelling in lower case, which most MACs already are.
function canonicalMac(m: MacMatch): string {
  if (m.text.charCodeAt(2) === 58 && !/[A-F]/.test(m.text)) return m.text;
  return renderMac(m.bytes, 'colon', false);
}

export function macFindings(text: string, solicited = true): Finding[] {
  const out: Finding[] = [];
  for (const m of macMatches(text)) {
    if (m.plan !== 'redact' && !(solicited && m.plan === 'solicited-node')) continue;
    out.push({
      start: m.start,
      end: m.start + m.text.length,
      category: 'mac',
      priority: PRIORITY.pattern,
      replace: replaceMac,
      learn: [{ category: 'mac', value: canonicalMac(m) }],
    });
  }
  return out;
}
