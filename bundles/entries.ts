import { createHash } from 'node:crypto';

// A file of a bundle, in memory. Bundles are small (a few MB): holding them
// in memory lets redaction, hashing and the leak scan see the final bytes.
export interface BundleEntry {
  path: string;
  bytes: Buffer;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// Paths inside a bundle are relative, forward-slashed and never escape it.
export function isSafeEntryPath(p: string): boolean {
  return (
    p.length > 0 &&
    !p.startsWith('/') &&
    !p.split('/').some((s) => s === '..' || s === '' || s === '.') &&
    !p.includes('\0')
  );
}
