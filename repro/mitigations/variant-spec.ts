import type { HostPick, MitigationName, Variant, VariantItem } from './types.js';

// `--variant` as typed: `baseline`, or mitigations joined by `+`, each with an
// optional `=VALUE` and `@A`, `@B` or `@both` (default: the receiver, B).
// Pure; a spec that is not understood is an error naming the part at fault.

export const MITIGATIONS: readonly MitigationName[] = ['backlog', 'ring', 'rps', 'rmem', 'budget'];

// Mitigations whose value is not a number the user picks.
const NO_VALUE: ReadonlySet<MitigationName> = new Set(['rps']);

// The largest value any of these settings takes: an int sysctl or a ring size.
export const MAX_VALUE = 2 ** 31 - 1;

export type ParsedVariant = { variant: Variant } | { error: string };

export function parseVariant(spec: string): ParsedVariant {
  const s = spec.trim();
  if (s === 'baseline') return { variant: { name: 'baseline', items: [] } };
  if (!s) return { error: 'an empty variant: use `baseline` or mitigations such as `backlog`' };
  const items: VariantItem[] = [];
  for (const part of s.split('+')) {
    const item = parseItem(part);
    if ('error' in item) return { error: `variant "${s}": ${item.error}` };
    if (items.some((i) => i.mitigation === item.mitigation && overlap(i.hosts, item.hosts)))
      return { error: `variant "${s}": ${item.mitigation} is given twice for the same host` };
    items.push(item);
  }
  return { variant: { name: variantName(items), items } };
}

const ITEM = /^([a-z]+)(?:=(\d+))?(?:@(A|B|both))?$/;

function parseItem(part: string): VariantItem | { error: string } {
  const m = ITEM.exec(part.trim());
  if (!m) return { error: `"${part}" is not MITIGATION[=VALUE][@A|@B|@both]` };
  const mitigation = m[1] as MitigationName;
  if (!MITIGATIONS.includes(mitigation))
    return { error: `unknown mitigation "${m[1]}" (known: ${MITIGATIONS.join(', ')})` };
  const hosts = (m[3] ?? 'B') as HostPick;
  if (m[2] === undefined) return { mitigation, hosts };
  if (NO_VALUE.has(mitigation)) return { error: `${mitigation} takes no value` };
  const value = Number(m[2]);
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_VALUE)
    return { error: `${mitigation}=${m[2]} is out of range (1 to ${MAX_VALUE})` };
  return { mitigation, value, hosts };
}

function overlap(a: HostPick, b: HostPick): boolean {
  return a === b || a === 'both' || b === 'both';
}

// The name as the table shows it: the parts as given, in the order given,
// without the default host.
export function variantName(items: readonly VariantItem[]): string {
  if (!items.length) return 'baseline';
  return items
    .map(
      (i) =>
        `${i.mitigation}${i.value !== undefined ? `=${i.value}` : ''}${i.hosts === 'B' ? '' : `@${i.hosts}`}`,
    )
    .join('+');
}
