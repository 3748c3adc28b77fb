// Where a double-quoted string that opened before `from` closes: the index of its closing quote,
// or -1 when a line ends first (or the text). A backslash escapes the next character unless that
// is a line break. This is `"(?:[^"\\\r\n]|\\.)*"` as a loop: V8 runs that regex with a backtrack
// entry per character and throws `Maximum call stack size exceeded` on a value of a few MiB of
// escapes, where this needs no stack at all.
export function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') return i;
    if (c === '\r' || c === '\n') return -1;
    if (c === '\\') {
      const next = text[i + 1];
      const lineBreak = next === '\n' || next === '\r' || next === '\u2028' || next === '\u2029';
      if (next === undefined || lineBreak) return -1;
      i += 1;
    }
  }
  return -1;
}
