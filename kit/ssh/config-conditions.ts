// Evaluation of Host and Match conditions for one destination. Three-valued: a criterion
// dropkit cannot evaluate (Match exec, ...) yields "unknown", and the caller decides what an
// unknown block means. A block applies when every condition holds, so one clear "no"
// settles it whatever the unknown criteria would have said.

import type { ConfigOrigin, MatchCriterion } from './config-match.js';
import type { BlockCondition } from './config-parse.js';
import { matchPattern, matchPatternList } from './patterns.js';

export type Verdict = 'yes' | 'no' | 'unknown';

/** What the conditions are tested against, as readconf.c sees it at that point of a pass. */
export interface MatchSubject {
  /** `Host` lines: the alias as typed in the first pass, the final host name in the final pass. */
  hostArg: string;
  /** `Match host`: HostName as obtained so far (%h expanded). */
  hostName: () => string;
  originalHost: string;
  remoteUser: () => string;
  localUser: string;
  /** The `Tag` obtained so far, or "". */
  tag: () => string;
  /** dropkit always runs a command, so "exec" unless SessionType says otherwise. */
  sessionType: () => string;
  finalPass: boolean;
}

/** Why a block's verdict is unknown: the first criterion dropkit could not evaluate. */
export interface UnknownCause {
  /** As written in ssh_config, e.g. `Match exec`. */
  what: string;
  detail: string;
  origin: ConfigOrigin;
}

export interface BlockVerdict {
  verdict: Verdict;
  cause?: UnknownCause;
}

type PatternCriterion = Extract<MatchCriterion, { patterns: string }>;

function patternVerdict(c: PatternCriterion, s: MatchSubject): boolean {
  switch (c.kind) {
    // Host names compare case-insensitively, as in OpenSSH's match_hostname().
    case 'host':
      return matchPatternList(s.hostName(), c.patterns, true) === 'match';
    case 'originalhost':
      return matchPatternList(s.originalHost, c.patterns, true) === 'match';
    case 'user':
      return matchPatternList(s.remoteUser(), c.patterns, false) === 'match';
    case 'localuser':
      return matchPatternList(s.localUser, c.patterns, false) === 'match';
    case 'tagged': {
      // readconf.c: an unset tag only matches an empty pattern.
      const tag = s.tag();
      if (tag === '') return c.patterns === '';
      return matchPatternList(tag, c.patterns, false) === 'match';
    }
    default:
      return matchPatternList(s.sessionType(), c.patterns, false) === 'match';
  }
}

function criterionVerdict(c: MatchCriterion, s: MatchSubject): 'yes' | 'no' | UnknownCause {
  if (c.kind === 'undecidable') {
    return { what: `Match ${c.name}`, detail: `${c.name} ${c.arg}`, origin: c.origin };
  }
  let hit: boolean;
  if (c.kind === 'all') hit = true;
  else if (c.kind === 'canonical' || c.kind === 'final') hit = s.finalPass;
  else hit = patternVerdict(c, s);
  return hit !== c.negated ? 'yes' : 'no';
}

function hostLineHolds(patterns: { pattern: string; negated: boolean }[], s: MatchSubject) {
  // Case-sensitive, like OpenSSH's Host matching; a negated hit vetoes the line.
  const hits = patterns.filter((p) => matchPattern(s.hostArg, p.pattern));
  return hits.length > 0 && hits.every((p) => !p.negated);
}

function conditionVerdict(cond: BlockCondition, s: MatchSubject): BlockVerdict {
  if (cond.kind === 'host') return { verdict: hostLineHolds(cond.patterns, s) ? 'yes' : 'no' };
  if (cond.kind === 'invalid') {
    return {
      verdict: 'unknown',
      cause: { what: 'Match', detail: cond.reason, origin: cond.origin },
    };
  }
  let cause: UnknownCause | undefined;
  for (const c of cond.criteria) {
    const v = criterionVerdict(c, s);
    if (v === 'no') return { verdict: 'no' };
    if (typeof v !== 'string') cause ??= v;
  }
  return cause ? { verdict: 'unknown', cause } : { verdict: 'yes' };
}

/** Combines a block's conditions (all must hold). */
export function blockVerdict(conditions: BlockCondition[], s: MatchSubject): BlockVerdict {
  let unknown: BlockVerdict | undefined;
  for (const cond of conditions) {
    const v = conditionVerdict(cond, s);
    if (v.verdict === 'no') return v;
    if (v.verdict === 'unknown') unknown ??= v;
  }
  return unknown ?? { verdict: 'yes' };
}

/** True if the conditions name this host (not just `*`): the alias is a configured one. */
export function conditionNamesHost(cond: BlockCondition): boolean {
  if (cond.kind === 'host') return cond.patterns.some((p) => !p.negated && p.pattern !== '*');
  if (cond.kind === 'match') {
    return cond.criteria.some(
      (c) => (c.kind === 'host' || c.kind === 'originalhost') && !c.negated && c.patterns !== '*',
    );
  }
  return false;
}

/** A `Match final` anywhere asks OpenSSH for a second, final pass (readconf.c). */
export function wantsFinalPass(conditions: BlockCondition[]): boolean {
  return conditions.some(
    (cond) => cond.kind === 'match' && cond.criteria.some((c) => c.kind === 'final' && !c.negated),
  );
}
