import type { ParsedConfig } from '../../kit/ssh/config-parse.js';
import { hostAliases } from '../../kit/ssh/host-aliases.js';
import { matchPatternList } from '../../kit/ssh/patterns.js';

// `--ssh-config-hosts PATTERN`: the host aliases completion offers (the
// concrete names of the config's `Host` lines, in file order, each once) that
// match PATTERN, an ssh pattern list (`web-*`, `db-*,!db-old`). Pure.
export function sshConfigHosts(configs: readonly ParsedConfig[], pattern: string): string[] {
  return hostAliases(configs).filter((n) => matchPatternList(n, pattern, true) === 'match');
}
