// JSON.parse turns 18446744073709551615 into 18446744073709552000, and Node 20 has no reviver
// `context.source` to get the digits back. So before parsing, wrap every integer literal that
// is too long to be exact (more than 15 digits) in quotes; counters are then read from strings.
// A tiny scanner, not a regex over the whole text, so digits inside JSON strings are left alone.
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;

export function quoteLargeIntegers(json: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      i = skipString(json, i);
      continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(json);
      if (m === null) {
        i++;
        continue;
      }
      const end = i + m[0].length;
      const isInteger = m[1] === undefined && m[2] === undefined;
      if (isInteger && m[0].replace('-', '').length > 15) {
        out += `${json.slice(copied, i)}"${m[0]}"`;
        copied = end;
      }
      i = end;
      continue;
    }
    i++;
  }
  return out + json.slice(copied);
}

// Returns the index just after the closing quote of the string starting at `start`.
function skipString(json: string, start: number): number {
  let i = start + 1;
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return i;
}

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

export function isJsonObject(v: unknown): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
