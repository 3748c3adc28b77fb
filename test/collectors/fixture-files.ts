import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// test/fixtures/: byte-exact copies of the shared captures (see test/fixtures/SOURCES.md).
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixture(rel: string): string {
  return readFileSync(join(FIXTURES_DIR, rel), 'utf8');
}

// Every capture (not the .md notes), as `folder/file` paths.
export function listCaptures(dir = FIXTURES_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return listCaptures(full);
    return e.name.endsWith('.md') ? [] : [relative(FIXTURES_DIR, full)];
  });
}
