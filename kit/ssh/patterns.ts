// OpenSSH wildcard patterns (match.c): `*` matches any run of characters, `?` exactly one;
// every other character is literal. Shared by ssh_config Host/Match and known_hosts.

const regexCache = new Map<string, RegExp>();

function toRegExp(pattern: string): RegExp {
  const cached = regexCache.get(pattern);
  if (cached) return cached;
  let source = '^';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  // `s` so that `*` also spans newlines (never present in practice, but keeps it total);
  // `u` so that `?` consumes one code point rather than half a surrogate pair.
  const re = new RegExp(source + '$', 'su');
  regexCache.set(pattern, re);
  return re;
}

/** Case-sensitive match of one wildcard pattern against the whole string. */
export function matchPattern(value: string, pattern: string): boolean {
  return toRegExp(pattern).test(value);
}

/** Result of matching a comma-separated pattern list with optional `!` negations. */
export type PatternListResult = 'match' | 'no-match' | 'negated';

/**
 * OpenSSH match_pattern_list(): a negated hit wins over any positive hit, so the
 * list matches only if some positive sub-pattern matches and no negated one does.
 * `lowercase` folds both sides, as OpenSSH does for host names.
 */
export function matchPatternList(
  value: string,
  list: string,
  lowercase: boolean,
): PatternListResult {
  const subject = lowercase ? value.toLowerCase() : value;
  let positive = false;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const body = negated ? raw.slice(1) : raw;
    const pattern = lowercase ? body.toLowerCase() : body;
    if (!matchPattern(subject, pattern)) continue;
    if (negated) return 'negated';
    positive = true;
  }
  return positive ? 'match' : 'no-match';
}
