import { existsSync } from 'node:fs';
import { resolveUnder } from '../kit/safe-path.js';
import { writeTarGz } from './archive.js';
import type { BundleEntry } from './entries.js';

// Packs the entries as <outDir>/<name>.tar.gz, atomically. Two bundles of
// one host within a second share a name: take the next free suffix rather
// than fail (and never overwrite). link() in writeTarGz still refuses a name
// taken in between, and then the next suffix is tried.
export async function packAtFreeName(
  outDir: string,
  base: string,
  entries: BundleEntry[],
  createdAt: Date,
  // Reads the packed file before it takes its name (the read back and leak
  // scan); given the name the bundle will have.
  check?: (written: string, name: string) => Promise<void>,
): Promise<{ file: string; name: string }> {
  let name = base;
  let file = resolveUnder(outDir, `${name}.tar.gz`);
  const next = (n: number) => {
    name = `${base}-${n}`;
    file = resolveUnder(outDir, `${name}.tar.gz`);
  };
  let n = 2;
  for (; existsSync(file) && n <= 99; n++) next(n);
  for (;;) {
    try {
      const at = name;
      await writeTarGz(file, name, entries, createdAt, check && ((w) => check(w, at)));
      return { file, name };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 99) throw e;
      next(n++);
    }
  }
}
