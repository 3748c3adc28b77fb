// `%x` token and `~` expansion as applied by OpenSSH to paths such as IdentityFile and
// UserKnownHostsFile. Unknown tokens are left verbatim rather than failing: dropkit only
// needs the paths, and an unexpanded token produces a clear "file not found" later.

/** Replaces `%%` and `%<c>` for every `c` in `values`; other `%<c>` stay as written. */
export function expandTokens(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/%(.)/gs, (whole, c: string) => {
    if (c === '%') return '%';
    return Object.hasOwn(values, c) ? values[c]! : whole;
  });
}

/** Expands a leading `~` or `~/`; `~otheruser/` is left alone (no passwd lookups here). */
export function expandTilde(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return home.replace(/\/+$/, '') + path.slice(1);
  return path;
}
