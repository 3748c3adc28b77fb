import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Writes a directory of captures (a sos report's or a snapshot's raw/ layout)
// under `dir`: relative path -> text. Returns the directory.
export function writeTree(dir: string, name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}
