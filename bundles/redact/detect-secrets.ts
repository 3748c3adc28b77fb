import {
  MARKER_PREFIX,
  PRIVATE_KEY_MARKER,
  SECRET_MARKER,
  type SensitiveValue,
} from './categories.js';
import { type Finding, PRIORITY } from './finding.js';
import { labelFinding } from './label-finding.js';

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
const BEARER = /\bbearer[ \t]+([A-Za-z0-9\-._~+/]{8,}=*)/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

function valueFindings(text: string, re: RegExp): Finding[] {
  const out: Finding[] = [];
  for (const m of text.matchAll(re)) {
    const value = m[1] ?? m[0];
    const trimmed = value.replace(/\s+$/, '');
    if (isPlaceholder(trimmed)) continue;
    out.push(secretFinding(m.index + m[0].length - value.length, trimmed));
  }
  return out;
}

// key=value and key: value pairs whose key ends in a secret word: `password=`, `db_passwd:`,
// `client_secret`, `X-Api-Key:`, `AccountKey=` (storage connection strings), `sig=` (SAS),
// JSON `"token": "..."`. The key must end there, so `disablePasswordAuthentication` is left
// alone. The separator may not cross a line, so `password:` followed by a YAML block is skipped.
const PAIR =
  /(?<![A-Za-z0-9])([A-Za-z0-9_.-]*?(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|account[_-]?key|shared[_-]?access[_-]?key|private[_-]?key|sig))(["']?)([ \t]*[:=][ \t]*)("(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'|[^\s"'&;,<>{}()[\]]+)/gi;

function pairFindings(text: string): Finding[] {
  const out: Finding[] = [];
  for (const m of text.matchAll(PAIR)) {
    const raw = m[4]!;
    const quoted = raw.startsWith('"') || raw.startsWith("'");
    const value = quoted ? raw.slice(1, -1) : raw;
    if (isPlaceholder(value)) continue;
    const start = m.index + m[0].length - raw.length + (quoted ? 1 : 0);
    out.push(secretFinding(start, value));
  }
  return out;
}

// https://user:password@host: the password is a secret, the user a user name.
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/([^\s:/@"'<>]+):([^\s/@"'<>]+)@/gi;

function urlCredentialFindings(text: string): Finding[] {
  const out: Finding[] = [];
  for (const m of text.matchAll(URL_CREDENTIALS)) {
    const user = m[1]!;
    const password = m[2]!;
    const userStart = m.index + m[0].length - 2 - password.length - user.length;
    if (!isPlaceholder(password))
      out.push(secretFinding(m.index + m[0].length - 1 - password.length, password));
    const f = labelFinding(userStart, user, 'user', PRIORITY.secret);
    if (f) out.push(f);
  }
  return out;
}

export function secretFindings(text: string): Finding[] {
  return [
    ...pemFindings(text),
    ...valueFindings(text, AUTHORIZATION),
    ...valueFindings(text, BEARER),
    ...valueFindings(text, JWT),
    ...pairFindings(text),
    ...urlCredentialFindings(text),
  ];
}

// What the leak scan treats as an exposed secret: the same detectors minus the URL user name
// (a pseudonymised user is not a secret and cannot be told from a real one).
export function secretLeaks(text: string): Finding[] {
  return secretFindings(text).filter((f) => f.category === 'secret');
}
