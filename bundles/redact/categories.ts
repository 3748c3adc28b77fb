// The kinds of sensitive value the redactor knows. Each kind gets its own token shape, so a
// support engineer reading a redacted bundle can still tell an address from a host name from a
// secret, and the leak scan can report what kind of value leaked without printing it.
export const CATEGORIES = [
  'ipv4',
  'ipv6',
  'mac',
  'hostname',
  'domain',
  'user',
  'guid',
  'azure-name',
  'secret',
  'keyword',
] as const;

export type Category = (typeof CATEGORIES)[number];

// Categories whose pseudonym is a prefixed hex label (`host-1a2b3c`) fitted to the original's
// length, as opposed to addresses (which keep their address shape) and secrets (fixed markers).
export type LabelCategory = 'hostname' | 'domain' | 'user' | 'azure-name' | 'keyword';

export type CategoryCounts = Record<Category, number>;

// A value known to be sensitive, from discovery on the host or learned while redacting.
export interface SensitiveValue {
  readonly category: Category;
  readonly value: string;
}

// One line of the operator-side map: how an original spelling was replaced.
export interface MappingEntry {
  readonly category: Category;
  readonly original: string;
  readonly pseudonym: string;
}

// Secrets are replaced by fixed markers, never by pseudonyms: a consistent token for a password
// would let a reader tell which hosts share it, and nobody needs that to debug packet loss.
export const MARKER_PREFIX = '<REDACTED:';
export const SECRET_MARKER = '<REDACTED:secret>';
export const PRIVATE_KEY_MARKER = '<REDACTED:private-key>';

export function categoryMarker(category: Category): string {
  return `${MARKER_PREFIX}${category}>`;
}

export function emptyCounts(): CategoryCounts {
  const counts = {} as CategoryCounts;
  for (const c of CATEGORIES) counts[c] = 0;
  return counts;
}

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}
