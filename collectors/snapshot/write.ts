import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { toJson } from '../json.js';
import type { TakenSnapshot } from './take.js';

// A snapshot directory: snapshot.json (parsed) next to raw/ (byte-exact).
// `collect analyze DIR` re-reads it.
export async function writeSnapshotDir(dir: string, taken: TakenSnapshot): Promise<void> {
  await mkdir(join(dir, 'raw'), { recursive: true });
  for (const f of taken.raw) {
    const p = join(dir, 'raw', f.path);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, f.bytes);
  }
  await writeFile(join(dir, 'snapshot.json'), `${toJson(taken.snapshot)}\n`);
}
