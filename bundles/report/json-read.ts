// Readers for JSON a bundle holds. A bundle may come from anyone (`collect
// report` on a stranger's tarball): every value is checked for its type
// before use, a missing or odd one reads as absent, and only own keys are
// read, so `__proto__` or `constructor` in a file is just a name. Pure.

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function field(o: unknown, key: string): unknown {
  const r = obj(o);
  return r && Object.hasOwn(r, key) ? r[key] : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

// A finite number, or a counter written as a decimal string (dropkit writes
// counters above 2^53 that way: the number is then approximate, for charts).
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d{1,30}(\.\d{1,30})?$/.test(v)) return Number(v);
  return undefined;
}

// What a table cell shows: strings and numbers as written, anything else empty.
export function cell(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return '';
}

export function strings(v: unknown): string[] {
  return arr(v).filter((x): x is string => typeof x === 'string');
}

// The whole file parsed, or undefined when it is absent or not JSON.
export function parseJson(bytes: Buffer | undefined): unknown {
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}
