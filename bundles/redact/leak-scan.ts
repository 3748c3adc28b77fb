import type { Category, SensitiveValue } from './categories.js';
import { leakFindings } from './detect.js';
import { KnownValues } from './known-values.js';
import { LiteralMatcher } from './literals.js';
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
//
// `allowed`: values shared in clear on purpose, by file (identity.json with
// --share-identity). In that file a hit that lies inside one of them, as the
// JSON string that spells it, is not a leak; anything else there is, and so
// is any of them in any other file.
export function scanForLeaks(
  files: readonly ScannedFile[],
  sensitive: ReadonlyArray<string | SensitiveValue>,
  allowed?: ReadonlyMap<string, readonly string[]>,
): Leak[] {
  const scanner = new LeakScanner(sensitive, allowed);
  for (const file of files) scanner.scan(file);
  return scanner.leaks();
}

// `scanForLeaks` for a stream of pieces: the matcher over the known values is built once, when
// the scanner is, and each piece is scanned and dropped as it comes. (Building it per batch of
// pieces cost a rebuild per 16 MB, and the batch held 16 MB of text.) A redactor hands over the
// matcher it already has (`Redactor.leakScanner`) when that is the one these values would build.
export class LeakScanner {
  private readonly matcher: LiteralMatcher;
  private readonly allowed: ReadonlyMap<string, readonly string[]> | undefined;
  private readonly found = new Map<string, Leak>();

  constructor(
    sensitive: ReadonlyArray<string | SensitiveValue> | LiteralMatcher,
    allowed?: ReadonlyMap<string, readonly string[]>,
  ) {
    if (sensitive instanceof LiteralMatcher) this.matcher = sensitive;
    else {
      const known = new KnownValues();
      for (const s of sensitive) known.add(typeof s === 'string' ? classifySensitive(s) : s);
      this.matcher = known.matcher();
    }
    this.allowed = allowed;
  }

  scan(file: ScannedFile): void {
    const spans = allowedSpans(file.text, this.allowed?.get(file.path));
    const inSpan = (h: { start: number; end: number }) =>
      spans.some(([a, b]) => h.start >= a && h.end <= b);
    for (const f of leakFindings(file.text)) if (!inSpan(f)) this.add(file.path, f.category);
    this.matcher.each(file.text, (start, end, category) => {
      if (!inSpan({ start, end })) this.add(file.path, category);
    });
  }

  // One entry per (path, category), in the order first found.
  leaks(): Leak[] {
    return [...this.found.values()];
  }

  private add(path: string, category: Category): void {
    const id = `${path}\u0000${category}`;
    if (!this.found.has(id)) this.found.set(id, { path, category });
  }
}

// Where each allowed value stands in the text as a JSON string, quotes
// included (the text is the file's bytes as latin1).
function allowedSpans(
  text: string,
  values: readonly string[] | undefined,
): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const v of values ?? []) {
    const spelled = Buffer.from(JSON.stringify(v), 'utf8').toString('latin1');
    for (let i = text.indexOf(spelled); i >= 0; i = text.indexOf(spelled, i + 1))
      spans.push([i, i + spelled.length]);
  }
  return spans;
}
