import { toJsonNumber } from './counter.js';

// Counters are bigint; JSON gets a number when it is exact (≤ 2^53) and a
// decimal string above that, so 18446744073709551615 survives any reader.
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? toJsonNumber(value) : value;
}

export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, jsonReplacer, indent);
}
