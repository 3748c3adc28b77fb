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

// One at a time, like IPv6 matches: most of a text of colon hex runs may be kept addresses.
export function* macMatches(text: string): Generator<MacMatch> {
  for (const re of MAC_PATTERNS)
    for (const m of text.matchAll(re)) {
      const p = parseMac(m[0]);
      if (p) yield { start: m.index, text: m[0], plan: macPlan(p.bytes), bytes: p.bytes };
    }
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
      replace: (t, o) => t.mac(o),
      learn: [{ category: 'mac', value: renderMac(m.bytes, 'colon', false) }],
    });
  }
  return out;
}
