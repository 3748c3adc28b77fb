import type { DigestStream } from './digest.js';

export interface ParsedGuid {
  readonly hex: string; // 32 lowercase hex digits
  readonly dashed: boolean;
  readonly upper: boolean;
}

const DASHED = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
const PLAIN = /^[0-9A-Fa-f]{32}$/;

export function parseGuid(text: string): ParsedGuid | undefined {
  const dashed = DASHED.test(text);
  if (!dashed && !PLAIN.test(text)) return undefined;
  return { hex: text.replace(/-/g, '').toLowerCase(), dashed, upper: /[A-F]/.test(text) };
}

export function renderGuid(hex: string, dashed: boolean, upper: boolean): string {
  const out = dashed
    ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
    : hex;
  return upper ? out.toUpperCase() : out;
}

// The nil GUID names nothing.
export function isKeptGuid(hex: string): boolean {
  return /^0{32}$/.test(hex);
}

export function guidToken(stream: DigestStream): string {
  return stream.hex(32);
}
