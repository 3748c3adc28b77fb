// Ansible host patterns of an inventory: `web[01:20].example.com`, `db[a:c]`,
// `node[0:10:2]`, several ranges in one name, and a `:port` suffix (Ansible's
// parse_address with ranges allowed). Pure; a malformed pattern is an Error
// whose message the caller places at its file and line.

export interface HostPattern {
  names: string[];
  port?: number;
}

// A name with more ranges than this is a typo, not a fleet.
const MAX_HOSTS = 100_000;

const RANGE = /\[([0-9a-zA-Z]*):([0-9a-zA-Z]+)(?::(\d+))?\]/;

function rangeValues(pattern: string, beg: string, end: string, stepText?: string): string[] {
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in range of "${pattern}"`);
  if (/^[a-zA-Z]$/.test(beg) && /^[a-zA-Z]$/.test(end)) {
    const from = beg.charCodeAt(0);
    const to = end.charCodeAt(0);
    if (from > to) throw new Error(`range of "${pattern}" runs backwards`);
    const out: string[] = [];
    for (let c = from; c <= to; c += step) out.push(String.fromCharCode(c));
    return out;
  }
  // An empty start is 0, as in Ansible.
  const first = beg === '' ? '0' : beg;
  if (!/^\d+$/.test(first) || !/^\d+$/.test(end)) {
    throw new Error(`range of "${pattern}" must be numbers or single letters`);
  }
  // A leading zero fixes the width; both ends must then be written alike.
  const width = first.length > 1 && first.startsWith('0') ? first.length : 0;
  if (width > 0 && width !== end.length) {
    throw new Error(`range of "${pattern}" must give both ends the same width`);
  }
  const from = Number(first);
  const to = Number(end);
  if (from > to) throw new Error(`range of "${pattern}" runs backwards`);
  if ((to - from) / step >= MAX_HOSTS) throw new Error(`range of "${pattern}" is too large`);
  const out: string[] = [];
  for (let n = from; n <= to; n += step) out.push(String(n).padStart(width, '0'));
  return out;
}

function expandRanges(pattern: string): string[] {
  const m = RANGE.exec(pattern);
  if (m === null) {
    if (/[[\]]/.test(pattern)) throw new Error(`malformed range in "${pattern}"`);
    return [pattern];
  }
  const head = pattern.slice(0, m.index);
  const tail = pattern.slice(m.index + m[0].length);
  if (/[[\]]/.test(head)) throw new Error(`malformed range in "${pattern}"`);
  const rest = expandRanges(tail);
  const out: string[] = [];
  for (const v of rangeValues(pattern, m[1]!, m[2]!, m[3])) {
    for (const r of rest) out.push(head + v + r);
    if (out.length > MAX_HOSTS) throw new Error(`"${pattern}" names too many hosts`);
  }
  return out;
}

function parsePortText(pattern: string, text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : 0;
  if (port < 1 || port > 65535) throw new Error(`bad port in "${pattern}"`);
  return port;
}

export function expandHostPattern(pattern: string): HostPattern {
  if (pattern === '') throw new Error('empty host name');
  // `[v6]:port`: brackets around an address, not a range.
  const v6 = /^\[([0-9a-fA-F:.]*:[0-9a-fA-F:.]*:[0-9a-fA-F:.]*)\](?::(\d+))?$/.exec(pattern);
  if (v6) {
    return v6[2] === undefined
      ? { names: [v6[1]!] }
      : { names: [v6[1]!], port: parsePortText(pattern, v6[2]) };
  }
  // Colons outside ranges: one is a port, more is a bare IPv6 address.
  const outside = pattern.replace(/\[[^\]]*\]/g, '');
  const colons = outside.split(':').length - 1;
  if (colons > 1) return { names: [pattern] };
  if (colons === 1) {
    const at = pattern.lastIndexOf(':');
    const port = parsePortText(pattern, pattern.slice(at + 1));
    return { names: expandRanges(pattern.slice(0, at)), port };
  }
  return { names: expandRanges(pattern) };
}
