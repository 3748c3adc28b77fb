import { access, constants } from 'node:fs/promises';
import { DropkitError } from '../kit/errors.js';
import { makeDirs } from '../kit/make-dirs.js';

// The output directory, made if needed and checked writable before any
// work: a bad --out fails in a moment, not after the hosts were collected.
export async function checkOutDir(dir: string): Promise<void> {
  try {
    await makeDirs(dir);
    await access(dir, constants.W_OK);
  } catch (e) {
    throw new DropkitError({
      code: 'OUT_NOT_WRITABLE',
      message: `cannot write bundles to ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      step: 'bundle',
      hint: 'pass --out with a writable directory',
    });
  }
}
