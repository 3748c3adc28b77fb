// Line-level lexing of ssh_config(5), following OpenSSH readconf.c/misc.c: the keyword ends
// at whitespace or a single '=', arguments are split like argv_split() (double or single
// quotes, backslash escapes, '#' at the start of an argument ends the line).

export type LexedLine =
  | { kind: 'blank' }
  | { kind: 'error'; message: string }
  | {
      kind: 'directive';
      /** Keyword as written; compare case-insensitively. */
      keyword: string;
      /** Raw text after the keyword separator, needed for ProxyCommand which takes it verbatim. */
      rest: string;
      args: string[];
    };

const WHITESPACE = /[ \t\r\n\f]/;

/** Splits arguments the way OpenSSH's argv_split(s, ..., terminate_on_comment=1) does. */
export function splitArgs(text: string): string[] | undefined {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#') break;
    let quote = '';
    let arg = '';
    for (; i < text.length; i++) {
      const ch = text[i]!;
      const next = text[i + 1];
      if (ch === '\\') {
        // Only quotes, backslash and (outside quotes) space are escapable; any other
        // backslash is kept literally so Windows-ish paths survive.
        if (next === "'" || next === '"' || next === '\\' || (quote === '' && next === ' ')) {
          arg += next;
          i++;
        } else {
          arg += ch;
        }
      } else if (quote === '' && (ch === ' ' || ch === '\t')) {
        break;
      } else if (quote === '' && (ch === '"' || ch === "'")) {
        quote = ch;
      } else if (quote !== '' && ch === quote) {
        quote = '';
      } else {
        arg += ch;
      }
    }
    if (quote !== '') return undefined;
    args.push(arg);
  }
  return args;
}

/** Lexes one physical line. Never throws; problems come back as `{ kind: 'error' }`. */
export function lexConfigLine(line: string): LexedLine {
  const trimmed = line.replace(/[ \t\r\n\f]+$/, '').replace(/^[ \t\r\n\f]+/, '');
  if (trimmed === '' || trimmed.startsWith('#')) return { kind: 'blank' };

  let end = 0;
  while (end < trimmed.length && !WHITESPACE.test(trimmed[end]!) && trimmed[end] !== '=') end++;
  const keyword = trimmed.slice(0, end);
  if (keyword === '') return { kind: 'error', message: 'line starts with "="' };

  // Separator: optional whitespace, at most one '=', optional whitespace ("Key = value").
  const rest = trimmed.slice(end).replace(/^[ \t]*(=[ \t]*)?/, '');
  if (rest === '') return { kind: 'error', message: `no argument after keyword "${keyword}"` };

  const args = splitArgs(rest);
  if (args === undefined) {
    return { kind: 'error', message: `unterminated quote after "${keyword}"` };
  }
  // A value that is only a comment ("HostName # todo") is as good as no value.
  if (args.length === 0) {
    return { kind: 'error', message: `no argument after keyword "${keyword}"` };
  }
  return { kind: 'directive', keyword, rest, args };
}
