import type { ParsedConfig } from '../../kit/ssh/config-parse.js';
import { matchPatternList } from '../../kit/ssh/patterns.js';

// `--ssh-config-hosts PATTERN`: the concrete names of the config's `Host`
// lines (no wildcard, no negation) that match PATTERN, an ssh pattern list
// (`web-*`, `db-*,!db-old`), in file order, each once. Pure.
export function sshConfigHosts(configs: readonly ParsedConfig[], pattern: string): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const c of configs) {
    for (const b of c.blocks) {
      for (const cond of b.conditions) {
        if (cond.kind !== 'host') continue;
        for (const p of cond.patterns) {
          if (p.negated || /[*?]/.test(p.pattern) || seen.has(p.pattern)) continue;
          if (matchPatternList(p.pattern, pattern, true) !== 'match') continue;
          seen.add(p.pattern);
          names.push(p.pattern);
        }
      }
    }
  }
  return names;
}
