import { terminalText } from '../../kit/terminal-text.js';
import { MARKER_PREFIX } from '../redact/categories.js';

// Everything put into the page is escaped here. Host and interface names,
// counter names and findings come from hosts, and a bundle from anyone:
// text is HTML-escaped after its control characters (bidi overrides
// included) are made visible, as the terminal shows them; data for the
// script is JSON in which `<`, `>` and `&` are escapes, so no `</script>`
// or `<!--` can close or bend its element. Pure.
//
// One exception: the redactor's markers (`<REDACTED:secret>`) stay byte for
// byte. The leak scan reads `Authorization: Bearer &lt;REDACTED:secret&gt;`
// as a token that was never redacted, and it must read the report as it
// reads every file. In an attribute and in the JSON a marker is harmless
// as it is; in text it is written as an empty element of that name
// (`<REDACTED:secret data-m="…"></REDACTED:secret>`) whose data-m the
// stylesheet shows, so the page reads `<REDACTED:secret>` too.

const MARKER = new RegExp(`(${MARKER_PREFIX}[a-z0-9-]{1,40}>)`);

const HTML: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const escapeAll = (s: string) => s.replace(/[&<>"']/g, (c) => HTML[c]!);

// Odd pieces of a split on MARKER are the markers.
function byMarker(s: string, plain: (p: string) => string, marker: (m: string) => string) {
  return s
    .split(MARKER)
    .map((p, i) => (i % 2 ? marker(p) : plain(p)))
    .join('');
}

// An attribute value (always double-quoted) or any text that is not shown.
export function esc(s: string): string {
  return byMarker(s, escapeAll, (m) => m);
}

function text(s: string): string {
  return byMarker(s, escapeAll, (m) => `${m.slice(0, -1)} data-m="${m}"></${m.slice(1, -1)}>`);
}

// One field (a name, a table cell). A tab or a newline is only blank space
// in HTML (a sysctl such as udp_mem is tab-separated): shown as a space.
export function h(s: string): string {
  return text(terminalText(s.replace(/[\t\n]/g, ' ')));
}

// Multi-line text (a fix, an explanation): newlines kept.
export function hText(s: string): string {
  return text(terminalText(s));
}

// JSON for a <script type="application/json"> element. U+2028 and U+2029
// are escaped as well: old parsers end a line there.
export function jsonForHtml(value: unknown): string {
  return byMarker(
    JSON.stringify(value),
    (p) =>
      p.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    (m) => m,
  );
}

// `<tag attr="…">`: attribute values escaped, names our own.
export function attrs(a: Record<string, string | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(v!)}"`)
    .join('');
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  if (!rows.length) return '';
  const head = header.map((c) => `<th>${h(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
