// Counters are unsigned 64-bit and real outputs contain 18446744073709551615 (iwlwifi ethtool -S
// fixture), which a JS number cannot hold. Everything below works on bigint.
export const U64_MAX = 18446744073709551615n;
export const U32_MAX = 0xffffffffn;
const JSON_SAFE_MAX = 2n ** 53n;

const DECIMAL = /^[0-9]+$/;
// softnet_stat prints `%08x`; accept 1–8 digits so a hand-trimmed sample still parses.
const HEX32 = /^(?:0[xX])?([0-9a-fA-F]{1,8})$/;

// Decimal u64. Rejects signs, blanks inside, hex, exponents and anything above u64 max.
export function parseU64(text: string): bigint | undefined {
  const t = text.trim();
  if (!DECIMAL.test(t)) return undefined;
  // 20 digits is the u64 maximum; strip leading zeros before judging length so a huge
  // string of digits never reaches BigInt().
  const digits = t.replace(/^0+(?=\d)/, '');
  if (digits.length > 20) return undefined;
  const v = BigInt(digits);
  return v <= U64_MAX ? v : undefined;
}

// 32-bit hex as printed by /proc/net/softnet_stat (`%08x`).
export function parseHex32(text: string): bigint | undefined {
  const m = HEX32.exec(text.trim());
  return m?.[1] === undefined ? undefined : BigInt(`0x${m[1]}`);
}

// JSON has no 64-bit integers: keep exact values as numbers while they fit in a double's
// integer range, and as decimal strings beyond.
export function toJsonNumber(v: bigint): number | string {
  return v <= JSON_SAFE_MAX && v >= -JSON_SAFE_MAX ? Number(v) : v.toString();
}

// A small non-negative integer such as an ifindex, MTU or ring size. Undefined when the text is
// not one or does not fit a safe JS number.
export function parseSmallInt(text: string): number | undefined {
  const v = parseU64(text);
  return v === undefined || v > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(v);
}
