import type { JsonValue } from './lenient-json.js';

// Typed reads from untrusted JSON: each returns undefined for anything that is
// not what was asked for, so a parser never throws on an odd document.

export type JsonObject = { [k: string]: JsonValue };

export function asObject(v: JsonValue | undefined): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

export function asArray(v: JsonValue | undefined): JsonValue[] {
  return Array.isArray(v) ? v : [];
}

export function asNumber(v: JsonValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function asString(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function asBoolean(v: JsonValue | undefined): boolean | undefined {
  if (typeof v === 'boolean') return v;
  // Some iperf3 versions write 0/1 for flags (test_start.reverse).
  return v === 0 || v === 1 ? v === 1 : undefined;
}

// obj.a.b.c, or undefined as soon as one level is missing.
export function at(v: JsonValue | undefined, ...path: string[]): JsonValue | undefined {
  let cur = v;
  for (const k of path) cur = asObject(cur)?.[k];
  return cur;
}
