import { writeAtomic } from '../../kit/atomic-write.js';
import type { MappingEntry } from './categories.js';

// The map holds every original value and is the only record of original <-> pseudonym: it
// stays with the operator, readable by them only (0600), and is written durably (fsync of the
// file and of its directory) through the helper the bundle archive uses. It replaces a stale
// map of the same name rather than reusing its mode. The per-case secret is not part of it.
export async function writeMapFile(path: string, mapping: readonly MappingEntry[]): Promise<void> {
  const body = `${JSON.stringify({ version: 1, entries: mapping }, null, 2)}\n`;
  await writeAtomic(path, body, { mode: 0o600, replace: true });
}
