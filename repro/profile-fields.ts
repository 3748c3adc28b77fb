import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { IssueList } from './profile-issues.js';
import { parseRate, parseSize } from './units.js';

// One key of a YAML mapping, with the nodes needed to point at it.
export interface Field {
  path: string;
  key: Node;
  value: Node | null;
  // Where to point when the value is missing (`streams:` with nothing after it).
  offset: number;
}

// The map's keys, checked against the known ones. A map of path -> Field.
export function readFields(
  map: YAMLMap,
  path: string,
  known: readonly string[],
  issues: IssueList,
): Map<string, Field> {
  const out = new Map<string, Field>();
  for (const item of map.items as Pair<unknown, unknown>[]) {
    const key = item.key as Node | null;
    const value = (item.value ?? null) as Node | null;
    const offset = key?.range?.[0] ?? map.range?.[0] ?? 0;
    const name = isScalar(key) ? key.value : undefined;
    const full = path ? `${path}.${String(name)}` : String(name);
    if (typeof name !== 'string') {
      issues.add(key, offset, `${path || 'the profile'} has a key that is not a plain name`);
    } else if (!known.includes(name)) {
      issues.add(key, offset, `unknown key ${full} (known keys: ${known.join(', ')})`);
    } else {
      out.set(name, { path: full, key: key as Node, value, offset });
    }
  }
  return out;
}

// A scalar's value; null for a missing value or an explicit `null`/`~`.
function scalar(f: Field): unknown {
  if (f.value === null) return null;
  if (isScalar(f.value)) return f.value.value;
  return isSeq(f.value) ? [] : isMap(f.value) ? {} : undefined;
}

function bad(f: Field, issues: IssueList, what: string): undefined {
  issues.add(f.value, f.offset, `${f.path} must be ${what}`);
  return undefined;
}

export function readString(
  f: Field | undefined,
  issues: IssueList,
  pattern?: { re: RegExp; what: string },
): string | undefined {
  if (!f) return undefined;
  const v = scalar(f);
  if (typeof v !== 'string' || v === '') return bad(f, issues, pattern?.what ?? 'a string');
  if (pattern && !pattern.re.test(v)) return bad(f, issues, pattern.what);
  issues.remember(f.path, f.value, f.offset);
  return v;
}

export function readPositiveInt(
  f: Field | undefined,
  issues: IssueList,
  max: number,
): number | undefined {
  if (!f) return undefined;
  const v = scalar(f);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    return bad(f, issues, 'a positive integer');
  }
  if (v > max) return bad(f, issues, `at most ${max}`);
  issues.remember(f.path, f.value, f.offset);
  return v;
}

export function readBoolean(f: Field | undefined, issues: IssueList): boolean | undefined {
  if (!f) return undefined;
  const v = scalar(f);
  if (v === null) return undefined;
  if (typeof v !== 'boolean') return bad(f, issues, 'true or false');
  return v;
}

// A rate: "2G", "500M", or a plain number of bits/s. null stays null.
export function readRate(
  f: Field | undefined,
  issues: IssueList,
): { text: string; bps: number } | null | undefined {
  if (!f) return undefined;
  const v = scalar(f);
  if (v === null) return null;
  const text = typeof v === 'number' ? String(v) : v;
  const bps = typeof text === 'string' ? parseRate(text) : undefined;
  if (bps === undefined || !Number.isFinite(bps)) {
    return bad(f, issues, 'a rate such as 2G, 500M or 100000 (bits/s, 1000-based)');
  }
  if (bps <= 0) return bad(f, issues, 'above 0 (0, unlimited, is refused by the rate cap)');
  issues.remember(f.path, f.value, f.offset);
  return { text: text as string, bps };
}

// A size: "4M", "256K" or a plain number of bytes. null stays null.
export function readSize(f: Field | undefined, issues: IssueList): string | null | undefined {
  if (!f) return undefined;
  const v = scalar(f);
  if (v === null) return null;
  const text = typeof v === 'number' ? String(v) : v;
  const bytes = typeof text === 'string' ? parseSize(text) : undefined;
  if (bytes === undefined || bytes < 1) return bad(f, issues, 'a size such as 4M or 262144');
  return text as string;
}

export function readStringList(f: Field | undefined, issues: IssueList): string[] | undefined {
  if (!f) return undefined;
  if (f.value === null || (isScalar(f.value) && f.value.value === null)) return [];
  if (!isSeq(f.value)) return bad(f, issues, 'a list of strings');
  const out: string[] = [];
  for (const [i, item] of f.value.items.entries()) {
    const node = item as Node;
    const v = isScalar(node) ? node.value : undefined;
    // Numbers are fine as flag values (`- 9000`); iperf3 gets their text.
    if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
    else issues.add(node, f.offset, `${f.path}[${i}] must be a string`);
  }
  return out;
}

// The item nodes of extraArgs, to point at the one at fault.
export function listItem(f: Field, index: number): Node | null {
  return isSeq(f.value) ? ((f.value.items[index] as Node | undefined) ?? null) : null;
}
