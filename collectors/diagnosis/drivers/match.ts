import type { CounterRule, DriverTable } from './rule.js';

export interface RuleMatch {
  rule: CounterRule;
  // From the pattern's capture group, for per-queue counters.
  queue?: number;
  // The driver table the rule is from; absent for the names every driver shares and guesses.
  table?: DriverTable;
}

// ethtool-stats.ts stores a repeated key as `key#2`, `key#3` (the mana fixture repeats a
// block; virtio cuts long names to the same 31 characters). Match on the printed name.
export function baseName(key: string): string {
  return key.replace(/#\d+$/, '');
}

// Exact names win over patterns, whatever their order in the table.
export function matchRule(rules: readonly CounterRule[], key: string): RuleMatch | undefined {
  const name = baseName(key);
  const exact = rules.find((r) => r.match === name);
  if (exact) return { rule: exact };
  for (const r of rules) {
    if (typeof r.match === 'string') continue;
    const m = r.match.exec(name);
    if (m === null) continue;
    const q = m[1] === undefined ? undefined : Number(m[1]);
    return q === undefined || !Number.isSafeInteger(q) ? { rule: r } : { rule: r, queue: q };
  }
  return undefined;
}
