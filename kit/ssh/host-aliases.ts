import type { ParsedConfig } from './config-parse.js';

// The names a user can type as a host: every literal `Host` pattern of the
// loaded ssh configs (no wildcard, no negation), in file order, once each.
// For shell completion. Pure.
export function hostAliases(configs: readonly ParsedConfig[]): string[] {
  const out = new Set<string>();
  for (const c of configs)
    for (const b of c.blocks)
      for (const cond of b.conditions)
        if (cond.kind === 'host')
          for (const p of cond.patterns)
            if (!p.negated && !/[*?]/.test(p.pattern) && /^[\w.@:[\]-]+$/.test(p.pattern))
              out.add(p.pattern);
  return [...out];
}
