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

// The tables are fixed, and a node with 200 interfaces asks about the same
// few dozen names thousands of times per bundle (a regex per rule each
// time): the answer is kept per table and key. Frozen, as it is shared.
const memo = new WeakMap<readonly CounterRule[], Map<string, RuleMatch | undefined>>();

// Exact names win over patterns, whatever their order in the table.
export function matchRule(rules: readonly CounterRule[], key: string): RuleMatch | undefined {
  let known = memo.get(rules);
  if (!known) {
    known = new Map();
    memo.set(rules, known);
  }
  if (known.has(key)) return known.get(key);
  const found = firstRule(rules, key);
  // Keys come from hosts: a hostile one could send endless distinct names.
  if (known.size < 10_000) known.set(key, found && Object.freeze(found));
  return found;
}

function firstRule(rules: readonly CounterRule[], key: string): RuleMatch | undefined {
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
