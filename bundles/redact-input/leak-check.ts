import { DropkitError } from '../../kit/errors.js';
import {
  type Category,
  type Leak,
  type ScannedFile,
  type SensitiveValue,
  scanForLeaks,
} from '../redact/index.js';
import { type InputEntry, REDACT_LIMITS } from './input-entries.js';
import { LineChunker } from './text-chunks.js';

// The leak scan of what was written, read back from disk as the receiver will read it: every
// file's text in pieces (the same cuts as the redaction), and every name and link target. Files
// go to `scanForLeaks` in batches, so its matcher is built once per batch, not per piece.
const BATCH_CHARS = 16 << 20;

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
    sensitive: readonly SensitiveValue[];
    keep: ReadonlySet<Category>;
    names: string[];
  },
): Promise<Leak[]> {
  const leaks = new Map<string, Leak>();
  let batch: ScannedFile[] = [];
  let chars = 0;
  const flush = () => {
    for (const l of scanForLeaks(batch, o.sensitive))
      if (!o.keep.has(l.category)) leaks.set(`${l.path}\0${l.category}`, l);
    batch = [];
    chars = 0;
  };
  const add = (path: string, text: string) => {
    batch.push({ path, text });
    chars += text.length;
    if (chars >= BATCH_CHARS) flush();
  };
  const names = [...o.names];
  for await (const e of entries) {
    names.push(e.path, e.linkname ?? '');
    // What cannot be read back cannot be vouched for.
    if (e.skipped)
      throw leakError([{ path: e.path, category: 'secret' }], `not read back: ${e.skipped}`);
    if (!e.content) continue;
    const chunker = new LineChunker();
    for await (const b of e.content) for (const t of chunker.push(b)) add(e.path || o.label, t);
    for (const t of chunker.end()) add(e.path || o.label, t);
  }
  add('(file and link names)', names.join('\n'));
  flush();
  return [...leaks.values()];
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
