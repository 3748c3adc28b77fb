// An inventory's ssh arguments (ansible_ssh_common_args, ansible_ssh_extra_args)
// as ssh_config lines: what Ansible adds to its `ssh` command line, dropkit
// reads as settings of that host. Only the arguments that are settings are
// taken (-o, -i, -p, -l, -J); any other is named in `ignored`, never dropped
// without a word. Pure.

export interface SshArgSettings {
  /** `Keyword value` lines, in the order given (the first one wins, as in ssh). */
  lines: string[];
  ignored: string[];
}

// Shell words: single and double quotes and backslashes, as the value would
// be split by the shell Ansible hands it to.
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} in ssh arguments "${text}"`);
  if (inWord) words.push(word);
  return words;
}

const FLAG_KEYWORD: Record<string, string> = {
  '-i': 'IdentityFile',
  '-p': 'Port',
  '-l': 'User',
  '-J': 'ProxyJump',
};

// ssh_config quotes a value with spaces in double quotes.
function configValue(v: string): string {
  return /[\s"]/.test(v) ? `"${v.replaceAll('"', '')}"` : v;
}

export function sshArgSettings(text: string): SshArgSettings {
  const words = shellWords(text);
  const lines: string[] = [];
  const ignored: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const flag = w.slice(0, 2);
    if (flag === '-o' || flag in FLAG_KEYWORD) {
      const value = w.length > 2 ? w.slice(2) : words[++i];
      if (value === undefined) {
        ignored.push(w);
        continue;
      }
      if (flag !== '-o') {
        lines.push(`${FLAG_KEYWORD[flag]} ${configValue(value)}`);
        continue;
      }
      // `-o Key=Value`, `-o Key Value` (one quoted word) or `-o Key=Value` with spaces.
      const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(?:=|\s)\s*(.*)$/.exec(value);
      if (m && m[2] !== '') lines.push(`${m[1]} ${configValue(m[2]!)}`);
      else ignored.push(`-o ${value}`);
      continue;
    }
    ignored.push(w);
  }
  return { lines, ignored };
}
