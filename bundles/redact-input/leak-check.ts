import { DropkitError } from '../../kit/errors.js';
import type { Category, Leak, LeakScanner } from '../redact/index.js';
import { type InputEntry, REDACT_LIMITS } from './input-entries.js';
import { LineChunker } from './text-chunks.js';

// The leak scan of what was written, read back from disk as the receiver will read it: every
// file's text in pieces (the same cuts as the redaction), and every name and link target. One
// scanner serves the whole output, so its matcher over the known values is built once, and each
// piece is scanned as it is read and then dropped: memory stays one piece, whatever the size.

// A member may come back a little larger than it went in (an IPv4 token has more digits).
export const READ_BACK_LIMITS = {
  ...REDACT_LIMITS,
  fileBytes: REDACT_LIMITS.fileBytes * 2,
  keptBytes: REDACT_LIMITS.keptBytes * 2,
  unpackedBytes: REDACT_LIMITS.unpackedBytes * 2,
};

export async function scanWritten(
  entries: AsyncIterable<InputEntry>,
  o: {
    label: string;
    // For every value the redactor knows (`Redactor.leakScanner()`).
    scanner: LeakScanner;
    keep: ReadonlySet<Category>;
    names: string[];
  },
): Promise<Leak[]> {
  const { scanner } = o;
  const names = [...o.names];
  for await (const e of entries) {
    names.push(e.path, e.linkname ?? '');
    // What cannot be read back cannot be vouched for.
    if (e.skipped)
      throw leakError([{ path: e.path, category: 'secret' }], `not read back: ${e.skipped}`);
    if (!e.content) continue;
    const path = e.path || o.label;
    const chunker = new LineChunker();
    for await (const b of e.content)
      for (const text of chunker.push(b)) scanner.scan({ path, text });
    for (const text of chunker.end()) scanner.scan({ path, text });
  }
  scanner.scan({ path: '(file and link names)', text: names.join('\n') });
  return scanner.leaks().filter((l) => !o.keep.has(l.category));
}

export function leakError(leaks: readonly Leak[], why?: string): DropkitError {
  return new DropkitError({
    code: 'LEAK_DETECTED',
    message: `${why ?? `the leak scan found ${leaks.length} sensitive value(s) in the redacted output`}; nothing was written: ${leaks
      .slice(0, 8)
      .map((l) => `${l.path} (${l.category})`)
      .join(', ')}`,
    step: 'leak scan',
    hint: 'this is a redaction gap: please report it with the file names and categories above (never the values); --redact-keyword can cover a value the patterns miss',
  });
}
