// A file of any size is redacted in pieces of about CHUNK_CHARS, cut after a line break: every
// value the redactor knows sits on one line, so a cut there splits none of them. The exception
// is a private key block, many lines long: a piece never ends inside one (up to MAX_CHARS), so
// its base64 lines are never left behind without their armour. Pure.

// 256 KiB: a piece, its findings and its redacted copy are garbage as soon as it is written, and
// pieces of 1 MiB (each string and buffer of them a large object of its own) kept the resident
// size near 200 MB whatever the input; smaller pieces than this add more per-piece work than they
// save.
export const CHUNK_CHARS = 1 << 18;
// A piece with an open key block grows up to this; past it, the cut falls where it must (a
// "key" that long is not one).
const MAX_CHARS = 16 << 20;
const PEM_BEGIN = '-----BEGIN ';
const PEM_END = '-----END ';

// Where to cut `text` (latin1, one char per byte) so that the first piece is whole: after the
// last line break before `limit`, but before a key block that is still open there. Returns 0
// when no safe cut exists yet (more text is needed), or text.length at the end of input.
export function cutAt(text: string, limit: number, final: boolean): number {
  if (text.length <= limit) return final ? text.length : 0;
  const roomLeft = !final && text.length <= MAX_CHARS;
  let cut = text.lastIndexOf('\n', limit - 1) + 1;
  if (cut === 0) {
    if (roomLeft) return 0;
    cut = limit;
  }
  // Most pieces hold no key at all: a forward search says so at once, where searching back from
  // the cut reads the whole piece slowly.
  const first = text.indexOf(PEM_BEGIN);
  if (first < 0 || first >= cut) return cut;
  const begin = text.lastIndexOf(PEM_BEGIN, cut - 1);
  const end = text.indexOf(PEM_END, begin);
  if (end >= 0 && end < cut) return cut;
  // A key block is open at the cut: cut before its line, or, when it starts the piece, after
  // the line of its end.
  const lineStart = text.lastIndexOf('\n', begin - 1) + 1;
  if (lineStart > 0) return lineStart;
  const after = end < 0 ? -1 : text.indexOf('\n', end);
  if (after >= 0) return after + 1;
  if (final) return text.length;
  return roomLeft ? 0 : cut;
}

// Buffers in, latin1 text pieces out, each whole as described above.
export class LineChunker {
  private pending = '';

  constructor(private readonly limit = CHUNK_CHARS) {}

  // Until a whole piece is there, nothing is cut, and the pending text is not even looked at: a
  // look (lastIndexOf) flattens the concatenation, which per buffer read copied each piece about
  // sixteen times over.
  push(buf: Buffer): string[] {
    this.pending += buf.toString('latin1');
    return this.pending.length <= this.limit ? [] : this.drain(false);
  }

  end(): string[] {
    return this.drain(true);
  }

  private drain(final: boolean): string[] {
    const out: string[] = [];
    for (;;) {
      if (this.pending === '') return out;
      const cut = cutAt(this.pending, this.limit, final);
      if (cut === 0) {
        // Not enough for a whole piece yet; at the end, what is left is one.
        if (final) {
          out.push(this.pending);
          this.pending = '';
        }
        return out;
      }
      out.push(this.pending.slice(0, cut));
      this.pending = this.pending.slice(cut);
    }
  }
}

// Binary files are skipped, not redacted: a NUL byte, or many control bytes in the first 8 KiB,
// mean the redactor's text patterns would miss what the format encodes (a journal file, a core
// dump, a gzip'd log), and the file would go out with it.
export function binaryReason(head: Buffer): string | undefined {
  const sample = head.subarray(0, 8192);
  if (sample.includes(0)) return 'binary (NUL bytes)';
  let control = 0;
  for (const b of sample)
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) control++;
  return sample.length && control / sample.length > 0.1 ? 'binary (control bytes)' : undefined;
}
