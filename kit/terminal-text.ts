// Text from hosts and archives, made safe to print on a terminal. Hosts may
// be compromised and bundles come from strangers: a host name, an interface
// name (the kernel allows ESC in one) or a line of stderr could otherwise
// write the clipboard (OSC 52), plant a disguised link (OSC 8), clear the
// screen, or forge an `OK:` line with a carriage return or a newline.
//
// The scheme, one for every output:
//   ESC                              \e
//   other C0 controls, DEL, C1       \xHH    (the code point, two hex digits)
//   bidi controls, U+2028/U+2029,
//   lone surrogates                  \u{HHHH}
//   `\` that would read as one        \\      (so `\e` always means ESC)
// Newline and tab are kept in text (summary.md, a stack trace) and escaped in
// fields (a host name, a table cell), so a field cannot start a new line.
// Everything else, é and 日本 included, is printed as is. Pure.

// Bidi embeddings, overrides and isolates, and the direction marks: they
// reorder what is shown (text that reads `OK` can hold `KO`). U+2028 and
// U+2029 are line breaks to some viewers. [\ud800-\udfff] with the u flag
// matches only unpaired surrogates.
const UNICODE_UNSAFE = '\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069\\ud800-\\udfff';
const LINE_UNSAFE = `\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f${UNICODE_UNSAFE}`;
const FIELD_UNSAFE = `\\x00-\\x1f\\x7f-\\x9f${UNICODE_UNSAFE}`;

// A backslash is doubled where it would otherwise read as the start of an
// escape: before `\`, `e`, `x` and two hex digits, `u{`, or a character
// about to be escaped. Elsewhere (`C:\Temp`, a JSON-style `\u001b` in a
// message) it stays one.
const unambiguous = (unsafe: string) =>
  new RegExp(`\\\\(?=[\\\\e${unsafe}]|x[0-9a-fA-F]{2}|u\\{)|[${unsafe}]`, 'gu');
const TEXT = unambiguous(LINE_UNSAFE);
const FIELD = unambiguous(FIELD_UNSAFE);
// For text already escaped (a rendered table): controls only, backslashes as
// they are, so a second pass changes nothing.
const TEXT_GUARD = new RegExp(`[${LINE_UNSAFE}]`, 'gu');
const LINE_GUARD = new RegExp(`[${FIELD_UNSAFE}]`, 'gu');
// What JSON.stringify leaves raw: DEL, C1 and the Unicode controls above.
// Outside strings its output is ASCII, so replacing them anywhere is valid.
const JSON_UNSAFE = new RegExp(`[\\x7f-\\x9f${UNICODE_UNSAFE}]`, 'gu');

function escapeOne(c: string): string {
  if (c === '\\') return '\\\\';
  if (c === '\x1b') return '\\e';
  const cp = c.codePointAt(0)!;
  return cp <= 0xff
    ? `\\x${cp.toString(16).padStart(2, '0')}`
    : `\\u{${cp.toString(16).padStart(4, '0')}}`;
}

// Multi-line text: summary.md, a stack trace. Keeps `\n` and `\t`.
export function terminalText(text: string): string {
  return String(text).replace(TEXT, escapeOne);
}

// One field on one line: a host, interface, driver or counter name, a path,
// a table cell, an error message. `\n` and `\t` are escaped too.
export function terminalField(text: string): string {
  return String(text).replace(FIELD, escapeOne);
}

// The last check before a write, for text made of fields that were already
// escaped: escapes any control left and leaves backslashes alone, so it is a
// no-op on escaped text (escaping twice would double every backslash). With
// oneLine, `\n` and `\t` too: for a line that may hold an unescaped field.
export function terminalGuard(text: string, opts: { oneLine?: boolean } = {}): string {
  return String(text).replace(opts.oneLine ? LINE_GUARD : TEXT_GUARD, escapeOne);
}

// JSON text from JSON.stringify, still valid JSON, with the characters it
// leaves raw written as \uXXXX escapes (it already escapes C0 controls and
// lone surrogates): `--json` piped to a terminal is safe too.
export function terminalJson(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

// A name from a host or an archive inside a message: JSON-quoted, with what
// terminalJson escapes, and cut at `max` characters, so a crafted name can
// neither rewrite the terminal nor flood it.
export function quotedText(name: string, max: number): string {
  const cut = name.length > max ? `${name.slice(0, max)}…` : name;
  return terminalJson(JSON.stringify(cut));
}
