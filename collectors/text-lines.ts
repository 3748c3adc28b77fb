// Captures may come with CRLF (copied through Windows tools) or without a final newline
// (softnet_stat fixtures from hjr3 and node_exporter). Splitting on \r?\n and dropping only the
// one empty string after a final newline keeps line numbers equal to the file's.
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

// Authors elide long outputs with a `...` line (hv_netvsc ethtool -S fixture, an arthurchiao
// softnet_stat sample). Such a line means "values are missing here", not garbage.
export function isElisionLine(line: string): boolean {
  const t = line.trim();
  return t === '...' || t === '…' || t === '[...]';
}

// Shorten a host line before quoting it in a warning: binary garbage can be one huge "line".
export function quote(line: string): string {
  const t = line.length > 80 ? `${line.slice(0, 77)}...` : line;
  return JSON.stringify(t);
}
