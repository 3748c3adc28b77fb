import type { Category, SensitiveValue } from './categories.js';
import { leakFindings } from './detect.js';
import { KnownValues } from './known-values.js';
import { classifySensitive } from './sensitive.js';

// Where a leak is and what kind of value it is. Never the value: the scan's report ends up in
// logs and terminals, which is exactly where a leaked secret must not be repeated.
export interface Leak {
  readonly path: string;
  readonly category: Category;
}

export interface ScannedFile {
  readonly path: string;
  readonly text: string;
}

// Looks for every known sensitive value under every spelling the redactor replaces (dashed
// IPv4, upper-case and bare MACs, expanded IPv6, GUIDs without dashes, ...) and for generic
// patterns: IPv4 outside the kept ranges, unicast MACs, global/ULA/EUI-64 IPv6, private key
// blocks, bearer tokens, `sig=`/`password=`-style pairs whose value is not a marker. Our own
// pseudonyms sit in ranges the patterns keep (240.0.0.0/4, 0.0.0.0/8, d2:ec:.., 3fff::/16), so a
// redacted bundle scans clean. One entry per (path, category).
// Plain strings in `sensitive` are classified by shape; anything that is not an address or a
// GUID is searched as a keyword (case-insensitive, anywhere).
export function scanForLeaks(
  files: readonly ScannedFile[],
  sensitive: ReadonlyArray<string | SensitiveValue>,
): Leak[] {
  const known = new KnownValues();
  for (const s of sensitive) known.add(typeof s === 'string' ? classifySensitive(s) : s);
  const matcher = known.matcher();
  const leaks = new Map<string, Leak>();
  const add = (path: string, category: Category): void => {
    const id = `${path}\u0000${category}`;
    if (!leaks.has(id)) leaks.set(id, { path, category });
  };
  for (const file of files) {
    for (const f of leakFindings(file.text)) add(file.path, f.category);
    for (const h of matcher.find(file.text)) add(file.path, h.category);
  }
  return [...leaks.values()];
}
