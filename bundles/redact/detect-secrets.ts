import {
  MARKER_PREFIX,
  PRIVATE_KEY_MARKER,
  SECRET_MARKER,
  type SensitiveValue,
} from './categories.js';
import { type Finding, PRIORITY } from './finding.js';
import { labelFinding } from './label-finding.js';
import { closingQuote } from './quoted-string.js';

// Secrets of at least this length are also learned as literals, so the same value is replaced
// wherever else it shows up and the leak scan looks for it. Shorter ones would match ordinary
// words.
export const MIN_LEARNED_SECRET = 8;

export function secretFinding(start: number, value: string, marker = SECRET_MARKER): Finding {
  const learn: SensitiveValue[] =
    value.length >= MIN_LEARNED_SECRET && marker === SECRET_MARKER
      ? [{ category: 'secret', value }]
      : [];
  return {
    start,
    end: start + value.length,
    category: 'secret',
    priority: PRIORITY.secret,
    replace: () => marker,
    learn,
  };
}

// Values that hold no secret: already redacted, empty, placeholders, booleans.
function isPlaceholder(value: string): boolean {
  return (
    value === '' ||
    value.startsWith(MARKER_PREFIX) ||
    /^(?:null|none|true|false|yes|no|\*+|x+)$/i.test(value)
  );
}

// The whole block goes, armour lines included: a block with only its body removed would still
// trip every key scanner downstream. A block cut off by truncation is redacted to the end.
const PEM =
  /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END \1PRIVATE KEY\2-----|$)/g;

function pemFindings(text: string): Finding[] {
  return [...text.matchAll(PEM)].map((m) => secretFinding(m.index, m[0], PRIVATE_KEY_MARKER));
}

// `Authorization: Bearer x`, `"Authorization": "SharedKey acct:sig"`: the scheme stays, the
// rest of the credential (to the end of the line or the closing quote) goes.
const AUTHORIZATION =
  /\b(?:proxy-)?authorization\b["']?[ \t]*[:=][ \t]*["']?(?:(?:bearer|basic|digest|negotiate|ntlm|sharedkey(?:lite)?|sharedaccesssignature|aws4-hmac-sha256|token)[ \t]+)?([^\s"'][^\r\n"']*)/gi;
// `{8}` then `*` rather than `{8,}`, and the loops below written so each is one character class:
// V8 then runs them without a backtrack entry per character, and a token of several MiB does not
// overflow its stack (`Maximum call stack size exceeded`).
const BEARER = /\bbearer[ \t]+([A-Za-z0-9\-._~+/]{8}[A-Za-z0-9\-._~+/]*=*)/gi;

function valueFindings(text: string, re: RegExp): Finding[] {
  const out: Finding[] = [];
  for (const m of text.matchAll(re)) {
    const value = m[1]!;
    // Not `replace(/\s+$/, '')`: that retries at every blank of a long inner run (quadratic).
    const trimmed = value.trimEnd();
    if (isPlaceholder(trimmed)) continue;
    out.push(secretFinding(m.index + m[0].length - value.length, trimmed));
  }
  return out;
}

// JWTs: `eyJ…` at the start of a word, then two more dot-separated base64url segments. A regex
// starting at every `\beyJ` would rescan the rest of the run from each one (`eyJ-eyJ-eyJ-…` is
// quadratic), so the candidate is anchored at the start of a whole run instead, and the first
// `eyJ` that begins a word inside its first segment is looked for there. The minimum lengths (4
// after `eyJ`, 4 in the second segment) are checked here too, keeping the loops plain `+`.
const JWT_SHAPE = /(?<![A-Za-z0-9_-])([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*/g;

function jwtStart(head: string): number {
  for (let k = head.indexOf('eyJ'); k >= 0 && head.length - k >= 7; k = head.indexOf('eyJ', k + 1))
    if (k === 0 || head[k - 1] === '-') return k;
  return -1;
}

function jwtFindings(text: string): Finding[] {
  const out: Finding[] = [];
  const re = new RegExp(JWT_SHAPE);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const head = m[1]!;
    const k = jwtStart(head);
    if (k < 0 || m[2]!.length < 4) {
      // The next segment may start a token of its own.
      re.lastIndex = m.index + head.length + 1;
      continue;
    }
    out.push(secretFinding(m.index + k, m[0].slice(k)));
  }
  return out;
}

// key=value and key: value pairs whose key ends in a secret word: `password=`, `db_passwd:`,
// `client_secret`, `X-Api-Key:`, `AccountKey=` (storage connection strings), `sig=` (SAS),
// JSON `"token": "..."`. The key must end there, so `disablePasswordAuthentication` is left
// alone. The separator may not cross a line, so `password:` followed by a YAML block is skipped.
// The key is a whole run of key characters, tried once from its start: the secret word is checked
// by a lookbehind at its end. (A lazy key tried from every `-`, `_` or `.` inside a run rescans
// the rest of the run each time: `a-a-a-…` was quadratic.) A double-quoted value is scanned by
// closingQuote, which needs no regex stack however long it is.
const PAIR =
  /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]+(?<=password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|account[_-]?key|shared[_-]?access[_-]?key|private[_-]?key|sig))(\\"|["']?)([ \t]*[:=][ \t]*)(\\"|"|'[^'\r\n]*'|[^\s"'&;,<>{}()[\]]+)/gi;

function pairFindings(text: string): Finding[] {
  const out: Finding[] = [];
  const re = new RegExp(PAIR);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const rawStart = m.index + m[0].length - m[4]!.length;
    let raw = m[4]!;
    if (raw === '\\"') {
      // A quote escaped inside a JSON string (a log line or an error message
      // in summary.json): the value runs to the next \" on the line, or to
      // its end. Taken as the bare `\`, the secret after it stayed in clear.
      const from = rawStart + 2;
      let end = from;
      while (end < text.length && text[end] !== '\n' && text[end] !== '\r') {
        if (text[end] === '\\' && text[end + 1] === '"') break;
        end += text[end] === '\\' ? 2 : 1;
      }
      end = Math.min(end, text.length);
      re.lastIndex = end;
      const value = text.slice(from, end);
      if (!isPlaceholder(value)) out.push(secretFinding(from, value));
      continue;
    }
    if (raw === '"') {
      const end = closingQuote(text, rawStart + 1);
      if (end < 0) {
        // No value after all: look again from the next character, as the whole regex would.
        re.lastIndex = m.index + 1;
        continue;
      }
      raw = text.slice(rawStart, end + 1);
      re.lastIndex = end + 1;
    }
    const quoted = raw.startsWith('"') || raw.startsWith("'");
    const value = quoted ? raw.slice(1, -1) : raw;
    if (isPlaceholder(value)) continue;
    // A JSON number under a quoted key is a count, not a secret: the
    // manifest's `"secret": 1` (replacements by category). A password is a
    // JSON string, and `password=1234` in plain text is still one.
    if ((m[2] === '"' || m[2] === '\\"') && !quoted && /^-?\d+$/.test(value)) continue;
    out.push(secretFinding(rawStart + (quoted ? 1 : 0), value));
  }
  return out;
}

// https://user:password@host: the password is a secret, the user a user name. The scheme is a
// whole run of scheme characters, tried once from its start (not from every word start inside it,
// which rescans the run each time: `a.a.a.…` was quadratic); it must hold a letter that starts a
// word, as `\b[a-z]` would have required.
const URL_CREDENTIALS = /(?<![a-z0-9+.-])([a-z0-9+.-]+):\/\/([^\s:/@"'<>]+):([^\s/@"'<>]+)@/gi;
const SCHEME_START = /[^0-9A-Za-z_][A-Za-z]/;

function urlCredentialFindings(text: string): Finding[] {
  const out: Finding[] = [];
  for (const m of text.matchAll(URL_CREDENTIALS)) {
    if (!SCHEME_START.test((text[m.index - 1] ?? ' ') + m[1]!)) continue;
    const user = m[2]!;
    const password = m[3]!;
    const userStart = m.index + m[0].length - 2 - password.length - user.length;
    if (!isPlaceholder(password))
      out.push(secretFinding(m.index + m[0].length - 1 - password.length, password));
    const f = labelFinding(userStart, user, 'user', PRIORITY.secret);
    if (f) out.push(f);
  }
  return out;
}

// Each detector only runs when the text holds a word its every match must contain: most log
// pieces hold none, and the patterns (a lookbehind at every word for `password=`-style keys, a
// dotted run at every word for JWTs) cost more than the rest of the redaction. The words are
// necessary parts of the patterns, so skipping a detector never loses a match.
const PAIR_WORD = /pass|secret|token|key|sig/i;
const AUTHORIZATION_WORD = /authorization/i;
const BEARER_WORD = /bearer/i;
// Every word above in one search, first: a log piece that holds none (most of them) is then read
// once, not once per word. (Case-insensitive: a superset of the exact words, which is all a
// prefilter needs.)
const ANY_WORD = /pass|secret|token|key|sig|authorization|bearer|eyJ|-----BEGIN |:\/\//i;

export function secretFindings(text: string): Finding[] {
  if (!ANY_WORD.test(text)) return [];
  return [
    ...(text.includes('-----BEGIN ') ? pemFindings(text) : []),
    ...(AUTHORIZATION_WORD.test(text) ? valueFindings(text, AUTHORIZATION) : []),
    ...(BEARER_WORD.test(text) ? valueFindings(text, BEARER) : []),
    ...(text.includes('eyJ') ? jwtFindings(text) : []),
    ...(PAIR_WORD.test(text) ? pairFindings(text) : []),
    ...(text.includes('://') ? urlCredentialFindings(text) : []),
  ];
}

// What the leak scan treats as an exposed secret: the same detectors minus the URL user name
// (a pseudonymised user is not a secret and cannot be told from a real one).
export function secretLeaks(text: string): Finding[] {
  return secretFindings(text).filter((f) => f.category === 'secret');
}
