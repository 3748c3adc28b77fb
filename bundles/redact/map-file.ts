import { randomBytes } from 'node:crypto';
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { MappingEntry } from './categories.js';

// The map holds every original value: it stays with the operator, readable by them only.
// Written to a temporary file created 0600 in the same directory and renamed over the target,
// so a reader never sees a half-written map and an existing wider-mode file is replaced, not
// reused. The per-case secret is not part of the map.
export async function writeMapFile(path: string, mapping: readonly MappingEntry[]): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const body = `${JSON.stringify({ version: 1, entries: mapping }, null, 2)}\n`;
  try {
    await writeFile(tmp, body, { mode: 0o600, flag: 'wx' });
    // The umask can only remove bits, but be explicit in case the process runs with odd ACLs.
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
