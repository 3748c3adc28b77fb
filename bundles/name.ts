// <UTC timestamp>-<kind>-<case or host pseudonym>.tar.gz, e.g.
// 20261127T141502Z-node-case-4711.tar.gz. Sortable, and safe in any shell.
export function bundleName(createdAt: Date, kind: string, label: string): string {
  const ts = createdAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const safe =
    label
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64) || 'bundle';
  return `${ts}-${kind}-${safe}`;
}
