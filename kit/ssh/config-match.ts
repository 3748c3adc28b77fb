// Parsing of `Match` lines, following OpenSSH readconf.c match_cfg_line(). Evaluation lives in
// config-conditions.ts; this file only decides what each criterion is and what it tests.

/** Where a Match line was written, for messages that must cite it. */
export interface ConfigOrigin {
  file: string;
  line: number;
}

/** Criteria that test a pattern list against something dropkit knows. */
export type PatternCriterionKind =
  | 'host'
  | 'originalhost'
  | 'user'
  | 'localuser'
  | 'tagged'
  | 'sessiontype';

/**
 * Criteria dropkit cannot evaluate: `exec` would run a command taken from config (never
 * done), `localnetwork` depends on the local interfaces, `command` on the remote command
 * (dropkit runs many on one connection) and `version` on the OpenSSH release.
 */
export type UndecidableCriterionKind = 'exec' | 'localnetwork' | 'command' | 'version';

/** One `Match` criterion; `patterns` is an OpenSSH comma-separated pattern list. */
export type MatchCriterion =
  | { kind: 'all'; negated: boolean }
  // Both hold only in the final pass (readconf.c treats them alike).
  | { kind: 'canonical'; negated: boolean }
  | { kind: 'final'; negated: boolean }
  | { kind: PatternCriterionKind; patterns: string; negated: boolean }
  | {
      kind: 'undecidable';
      name: UndecidableCriterionKind;
      arg: string;
      negated: boolean;
      origin: ConfigOrigin;
    };

export type MatchParseResult =
  | { ok: true; criteria: MatchCriterion[] }
  | { ok: false; reason: string };

const PATTERN_KINDS = new Set<string>([
  'host',
  'originalhost',
  'user',
  'localuser',
  'tagged',
  'sessiontype',
]);
const UNDECIDABLE_KINDS = new Set<string>(['exec', 'localnetwork', 'command', 'version']);
// The criteria readconf.c accepts as "name=value" (sessiontype is not among them).
const EQUALS_FORM = new Set<string>([
  'host',
  'originalhost',
  'user',
  'localuser',
  'localnetwork',
  'version',
  'tagged',
  'command',
  'exec',
]);
// Only these may test the empty string (an unset Tag, no remote command).
const EMPTY_ALLOWED = new Set<string>(['tagged', 'command']);

function splitEquals(body: string): { name: string; value?: string } {
  const eq = body.indexOf('=');
  if (eq < 0) return { name: body.toLowerCase() };
  const name = body.slice(0, eq).toLowerCase();
  return EQUALS_FORM.has(name) ? { name, value: body.slice(eq + 1) } : { name: body.toLowerCase() };
}

/** Parses the arguments of one `Match` line; `origin` is where the line is. */
export function parseMatchCriteria(args: string[], origin: ConfigOrigin): MatchParseResult {
  const criteria: MatchCriterion[] = [];
  for (let i = 0; i < args.length; i++) {
    const raw = args[i]!;
    const negated = raw.startsWith('!');
    const { name, value: inline } = splitEquals(negated ? raw.slice(1) : raw);
    if (name === 'all') {
      // "all" ends the line and may follow at most one criterion ("Match final all").
      if (criteria.length > 1 || i !== args.length - 1) {
        return { ok: false, reason: '"all" cannot be combined with other criteria' };
      }
      criteria.push({ kind: 'all', negated });
      continue;
    }
    if (name === 'canonical' || name === 'final') {
      criteria.push({ kind: name, negated });
      continue;
    }
    const known = PATTERN_KINDS.has(name) || UNDECIDABLE_KINDS.has(name);
    if (!known) return { ok: false, reason: `unknown Match criterion "${name}"` };
    const value = inline ?? args[++i];
    if (value === undefined || (value === '' && !EMPTY_ALLOWED.has(name))) {
      return { ok: false, reason: `missing argument for Match "${name}"` };
    }
    if (UNDECIDABLE_KINDS.has(name)) {
      const kind = name as UndecidableCriterionKind;
      criteria.push({ kind: 'undecidable', name: kind, arg: value, negated, origin });
    } else {
      criteria.push({ kind: name as PatternCriterionKind, patterns: value, negated });
    }
  }
  if (criteria.length === 0) return { ok: false, reason: 'Match without criteria' };
  return { ok: true, criteria };
}
