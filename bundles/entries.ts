import { createHash } from 'node:crypto';
import { toJson } from '../collectors/json.js';
import { DropkitError } from '../kit/errors.js';
import { unsafeReason } from '../kit/safe-path.js';

// A file of a bundle, in memory. Bundles are small (a few MB): holding them
// in memory lets redaction, hashing and the leak scan see the final bytes.
export interface BundleEntry {
  path: string;
  bytes: Buffer;
}

// A JSON file of the bundle, as every one is written: toJson, one newline.
export function jsonEntry(path: string, value: unknown): BundleEntry {
  return { path, bytes: Buffer.from(`${toJson(value)}\n`) };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// The writer checks its own entries before packing: a path that could climb
// out of the bundle, or two entries under one name (the second would hide the
// first on extraction), fail the bundle. Nothing is written then.
export function checkEntryPaths(entries: readonly BundleEntry[]): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const why = unsafeReason(e.path);
    if (why) problems.push(`${JSON.stringify(e.path)}: ${why}`);
    else if (seen.has(e.path)) problems.push(`${JSON.stringify(e.path)}: listed twice`);
    seen.add(e.path);
  }
  if (!problems.length) return;
  throw new DropkitError({
    code: 'INTERNAL',
    message: `the bundle would hold ${problems.length} unsafe path(s); no bundle was written: ${problems.slice(0, 5).join('; ')}`,
    step: 'bundle',
    hint: 'a host may have sent forged names; run `collect snapshot` on it and read the warnings, and please report this',
  });
}
