import { type Finding, PRIORITY, type Priority, prefixLengthAfter } from './finding.js';
import { ipv4ToText, isIPv4Network, isKeptIPv4, parseIPv4 } from './ipv4.js';

// A dotted quad that is not glued to letters, digits or a longer dotted-number run: `5.10.102.1`
// inside `4.5.10.102.1` or `1.3.6.1.2.1` is an OID/version, not an address. A dot right before is
// allowed unless a digit precedes it (`...10.1.2.3` is still an address).
const DOTTED_QUAD =
  /(?<![0-9A-Za-z])(?<!\d\.)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![0-9A-Za-z]|\.\d)/g;
// `5.10.102.1-microsoft-standard-WSL2`, `2.3.4.5-1ubuntu1`, `1.2.3.4+deb11`, `1.2.3.4~rc1`: a
// version. An address followed by `-10.0.0.9` (a range) is still an address.
const VERSION_SUFFIX = /^(?:-\d*[A-Za-z]|[+~])/;
// `version: 1.2.3.4`, `firmware-version: 16.35.2000.1`, `fw_ver=1.2.3.4`.
const VERSION_KEY =
  /(?<![A-Za-z])(?:version|ver|firmware|fw)(?![A-Za-z])[\w-]*\s*[:=]?\s*["']?[vV]?$/i;

// Only the 48 characters before the quad, cut at a line break, are looked at. (Searching back for
// the line's start from every quad was quadratic on a long line of addresses.)
export function isVersionContext(text: string, start: number, end: number): boolean {
  if (VERSION_SUFFIX.test(text.slice(end, end + 24))) return true;
  const before = text.slice(Math.max(0, start - 48), start);
  return VERSION_KEY.test(before.slice(before.lastIndexOf('\n') + 1));
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
    replace: (t, o) => t.ipv4(o),
    learn: [{ category: 'ipv4', value: ipv4ToText(p.value) }],
  };
}

export function ipv4Findings(text: string): Finding[] {
  const out: Finding[] = [];
  for (const m of text.matchAll(DOTTED_QUAD)) {
    const end = m.index + m[0].length;
    if (isVersionContext(text, m.index, end)) continue;
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
