import { thousands } from '../../kit/thousands.js';

// How much of an input `collect analyze`, `collect verify` and `collect show`
// will take in. These commands run on archives that strangers send: a few MB
// of gzip can unpack to terabytes, and a tar can hold millions of entries.
// A real capture is far below every one of these (a node bundle is about
// 100 KiB unpacked, a sos report's networking files a few MB).
export interface ReadLimits {
  // One file kept in memory (a file named like evidence, or a bundle's file).
  fileBytes: number;
  // All the files kept in memory together.
  keptBytes: number;
  // Everything an archive unpacks to, kept or skipped: bounds the time spent.
  unpackedBytes: number;
  // Entries in an archive, or names listed in a directory tree.
  entries: number;
  // Symbolic links followed to resolve one path (Linux's own limit is 40).
  linkHops: number;
}

const MiB = 1024 * 1024;

export const READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  fileBytes: 64 * MiB,
  keptBytes: 256 * MiB,
  unpackedBytes: 1024 * MiB,
  entries: 100_000,
  linkHops: 40,
});

// `64 MiB`, `1 GiB`, `512 bytes`.
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * MiB && bytes % (1024 * MiB) === 0) return `${bytes / (1024 * MiB)} GiB`;
  if (bytes >= MiB) return `${thousands(Math.round((bytes / MiB) * 10) / 10)} MiB`;
  if (bytes >= 1024) return `${thousands(Math.round((bytes / 1024) * 10) / 10)} KiB`;
  return `${thousands(bytes)} bytes`;
}
