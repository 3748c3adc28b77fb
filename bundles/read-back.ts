import { unlink } from 'node:fs/promises';
import { DropkitError } from '../kit/errors.js';
import { resolveUnder } from '../kit/safe-path.js';
import { readTarGz } from './archive.js';
import { IDENTITY_JSON, identityAllowance } from './identity-json.js';
import type { Category } from './redact/categories.js';
import { type Leak, type Redactor, scanForLeaks, writeMapFile } from './redact/index.js';

// The bytes that would ship, as read back from the file before it takes its
// name (packAtFreeName's check, while the file's fsync runs): their size and
// sha256 are what the operator is told, and, with redaction on, the leak
// scan looks for every value found on the hosts and for the generic
// patterns. It fails closed: a hit, or any error, and the file never gets
// its name. The map (<name>.map.json) is written after, beside the bundle,
// never in it; a bundle whose map could not be written is removed
// (writeMapBeside).

function leakError(leaks: Leak[]): DropkitError {
  return new DropkitError({
    code: 'LEAK_DETECTED',
    message: `the leak scan found ${leaks.length} sensitive value(s); no bundle was written: ${leaks
      .slice(0, 8)
      .map((l) => `${l.path} (${l.category})`)
      .join(', ')}`,
    step: 'leak scan',
    hint: 'this is a redaction gap: please report it with the file names and categories above (never the values)',
  });
}

export interface ReadBack {
  bytes: number;
  sha256: string;
}

export async function readBackAndScan(
  file: string,
  o: {
    redactor: Redactor | undefined;
    // --keep: those categories are readable on purpose, not leaks.
    keep: ReadonlySet<Category>;
    lap: (phase: string) => void;
  },
): Promise<ReadBack> {
  const back = await readTarGz(file);
  if (!o.redactor) return { bytes: back.bytes, sha256: back.sha256 };
  const leaks = scanForLeaks(
    back.entries.map((e) => ({ path: e.path, text: e.bytes.toString('latin1') })),
    o.redactor.sensitiveValues(),
    identityAllowance(
      back.entries.find((e) => e.path.split('/').slice(1).join('/') === IDENTITY_JSON),
    ),
  ).filter((l) => !o.keep.has(l.category));
  if (leaks.length) throw leakError(leaks);
  o.lap('read back and leak scan');
  return { bytes: back.bytes, sha256: back.sha256 };
}

// The map beside the bundle; without it the bundle cannot be read back to
// its originals by the operator, so a failure removes the bundle.
export async function writeMapBeside(
  file: string,
  o: { outDir: string; name: string; redactor: Redactor },
): Promise<string> {
  try {
    const mapFile = resolveUnder(o.outDir, `${o.name}.map.json`);
    await writeMapFile(mapFile, o.redactor.mapping());
    return mapFile;
  } catch (e) {
    await unlink(file).catch(() => undefined);
    throw e;
  }
}
