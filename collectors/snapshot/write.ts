import { writeNewTree } from '../../kit/write-new-tree.js';
import { toJson } from '../json.js';
import type { TakenSnapshot } from './take.js';

// A snapshot directory: snapshot.json (parsed) next to raw/ (byte-exact).
// `collect analyze DIR` re-reads it. The directory may be shared, and the raw
// paths carry names the host sent: every path is checked, nothing already in
// DIR is written to or through, and what is created is the operator's only
// (kit/write-new-tree.ts).
export async function writeSnapshotDir(dir: string, taken: TakenSnapshot): Promise<void> {
  await writeNewTree(dir, [
    { path: 'snapshot.json', bytes: `${toJson(taken.snapshot)}\n` },
    ...taken.raw.map((f) => ({ path: `raw/${f.path}`, bytes: f.bytes })),
  ]);
}
