// Parser for one ssh_config(5) file. It is purely syntactic: it records blocks with their
// conditions and the options inside them, in file order, because OpenSSH's "first obtained
// value wins" rule makes order the whole semantics. Evaluation lives in config-resolve.ts.

import { lexConfigLine } from './config-lexer.js';
import { type ConfigOrigin, type MatchCriterion, parseMatchCriteria } from './config-match.js';
import { KEYWORD_VALIDATORS } from './config-values.js';

/** One pattern of a `Host` line. */
export interface HostPattern {
  pattern: string;
  negated: boolean;
}

export type BlockCondition =
  | { kind: 'host'; patterns: HostPattern[] }
  | { kind: 'match'; criteria: MatchCriterion[] }
  // A Match line that does not parse (OpenSSH refuses the whole file): nothing can be said
  // about where it applies, so the resolver treats it like an undecidable criterion.
  | { kind: 'invalid'; reason: string; origin: ConfigOrigin };

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
      const origin = { file, line: lineNo };
      const result = parseMatchCriteria(lexed.args, origin);
      if (result.ok) {
        startBlock(lineNo, { kind: 'match', criteria: result.criteria });
      } else {
        // Still open a block so that its options stay inside it instead of leaking into
        // the previous block.
        warn(lineNo, `${result.reason}; this Match block cannot be evaluated`);
        startBlock(lineNo, { kind: 'invalid', reason: result.reason, origin });
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
