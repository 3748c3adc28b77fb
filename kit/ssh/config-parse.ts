// Parser for one ssh_config(5) file. It is purely syntactic: it records blocks with their
// conditions and the options inside them, in file order, because OpenSSH's "first obtained
// value wins" rule makes order the whole semantics. Evaluation lives in config-resolve.ts.

import { lexConfigLine } from './config-lexer.js';
import { KEYWORD_VALIDATORS } from './config-values.js';

/** One pattern of a `Host` line. */
export interface HostPattern {
  pattern: string;
  negated: boolean;
}

/** A supported `Match` criterion; `patterns` is an OpenSSH comma-separated pattern list. */
export type MatchCriterion =
  | { kind: 'all'; negated: boolean }
  | { kind: 'host' | 'originalhost' | 'user' | 'localuser'; patterns: string; negated: boolean };

export type BlockCondition =
  | { kind: 'host'; patterns: HostPattern[] }
  | { kind: 'match'; criteria: MatchCriterion[] }
  // A Match block we cannot evaluate (exec, canonical, ...): skipped rather than guessed at.
  | { kind: 'never'; reason: string };

export interface SshConfigOption {
  /** Lower-case keyword. */
  keyword: string;
  args: string[];
  /** Text after the keyword, verbatim (ProxyCommand needs it). */
  rest: string;
  file: string;
  line: number;
}

export interface SshConfigBlock {
  file: string;
  /** Line of the Host/Match header; 0 for the implicit block at the top of a file. */
  line: number;
  /** All must hold for the block to apply; empty means "applies to every host". */
  conditions: BlockCondition[];
  /** In file order; may contain `include` options until the loader expands them. */
  options: SshConfigOption[];
}

export interface ParsedConfig {
  blocks: SshConfigBlock[];
  warnings: string[];
}

const SIMPLE_CRITERIA = new Set(['host', 'originalhost', 'user', 'localuser']);
// Criteria we recognise but cannot evaluate without running commands or resolving names.
const KNOWN_UNSUPPORTED = new Set([
  'canonical',
  'final',
  'exec',
  'localnetwork',
  'tagged',
  'command',
  'version',
  'sessiontype',
]);

type CriteriaResult = { ok: true; criteria: MatchCriterion[] } | { ok: false; reason: string };

function parseMatchCriteria(args: string[]): CriteriaResult {
  const criteria: MatchCriterion[] = [];
  for (let i = 0; i < args.length; i++) {
    const raw = args[i]!;
    const negated = raw.startsWith('!');
    let name = (negated ? raw.slice(1) : raw).toLowerCase();
    let value: string | undefined;
    // Newer OpenSSH also accepts "host=pattern".
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = (negated ? raw.slice(1) : raw).slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (name === 'all') {
      if (args.length !== 1) {
        return { ok: false, reason: '"all" cannot be combined with other criteria' };
      }
      criteria.push({ kind: 'all', negated });
      continue;
    }
    if (SIMPLE_CRITERIA.has(name)) {
      value ??= args[++i];
      if (value === undefined || value === '') {
        return { ok: false, reason: `missing argument for Match "${name}"` };
      }
      const kind = name as 'host' | 'originalhost' | 'user' | 'localuser';
      criteria.push({ kind, patterns: value, negated });
      continue;
    }
    const what = KNOWN_UNSUPPORTED.has(name) ? 'unsupported' : 'unknown';
    return { ok: false, reason: `${what} Match criterion "${name}"` };
  }
  if (criteria.length === 0) return { ok: false, reason: 'Match without criteria' };
  return { ok: true, criteria };
}

/**
 * Parses ssh_config text. Never throws: malformed lines are reported in `warnings` as
 * "file:line: message" and otherwise ignored, so one typo cannot take the tool down.
 */
export function parseSshConfig(text: string, file: string): ParsedConfig {
  const warnings: string[] = [];
  let current: SshConfigBlock = { file, line: 0, conditions: [], options: [] };
  const blocks: SshConfigBlock[] = [current];
  const warn = (line: number, message: string): void => {
    warnings.push(`${file}:${line}: ${message}`);
  };
  const startBlock = (line: number, condition: BlockCondition): void => {
    current = { file, line, conditions: [condition], options: [] };
    blocks.push(current);
  };

  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const lexed = lexConfigLine(lines[index]!);
    if (lexed.kind === 'blank') continue;
    if (lexed.kind === 'error') {
      warn(lineNo, lexed.message);
      continue;
    }
    const keyword = lexed.keyword.toLowerCase();

    if (keyword === 'host') {
      const patterns = lexed.args.map((arg) =>
        arg.startsWith('!')
          ? { pattern: arg.slice(1), negated: true }
          : { pattern: arg, negated: false },
      );
      startBlock(lineNo, { kind: 'host', patterns });
      continue;
    }
    if (keyword === 'match') {
      const result = parseMatchCriteria(lexed.args);
      if (result.ok) {
        startBlock(lineNo, { kind: 'match', criteria: result.criteria });
      } else {
        // Still open a block so that its options are skipped instead of leaking into the
        // previous block.
        warn(lineNo, `${result.reason}; skipping this Match block`);
        startBlock(lineNo, { kind: 'never', reason: result.reason });
      }
      continue;
    }

    const problem = KEYWORD_VALIDATORS.get(keyword)?.(lexed.args);
    if (problem !== undefined) {
      warn(lineNo, `${lexed.keyword}: ${problem}`);
      continue;
    }
    current.options.push({ keyword, args: lexed.args, rest: lexed.rest, file, line: lineNo });
  }
  return { blocks, warnings };
}
