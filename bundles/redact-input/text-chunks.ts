// A file of any size is redacted in pieces of about CHUNK_CHARS, cut after a line break: every
// value the redactor knows sits on one line, so a cut there splits none of them. The exception
// is a private key block, many lines long: a piece never ends inside one (up to MAX_CHARS), so
// its base64 lines are never left behind without their armour. Pure.

// 64 KiB: a piece, its findings and its redacted copy are garbage as soon as it is written. A
// string of 128 KiB or more is a large object of V8's own (its own pages, mapped and zeroed for
// it, and collected apart): pieces of 1 MiB kept the resident size near 200 MB whatever the input,
// and pieces of 256 KiB, both the piece and its redacted copy large objects, spent a fifth of
// `collect redact`'s time decoding and collecting them. Under 64 KiB the per-piece work (each
// detector's check for its word) starts to count.
export const CHUNK_CHARS = 1 << 16;
// A piece with an open key block grows up to this; past it, the cut falls where it must (a
// "key" that long is not one).
const MAX_CHARS = 16 << 20;
const PEM_BEGIN = '-----BEGIN ';
const PEM_END = '-----END ';

// A text as latin1 characters or as their bytes: what cutAt reads of it. The chunker cuts bytes,
// and only the pieces become strings.
export interface Cuttable {
  readonly length: number;
  indexOf(search: string, from: number): number;
  lastIndexOf(search: string, from: number): number;
}

// lastIndexOf from `from`, which a string clamps to 0 and a Buffer counts from its end when
// negative.
function lastAt(text: Cuttable, search: string, from: number): number {
  return text.lastIndexOf(search, Math.max(0, from));
}

// Where to cut `text` (latin1, one char per byte) so that the first piece is whole: after the
// last line break before `limit`, but before a key block that is still open there. Returns 0
// when no safe cut exists yet (more text is needed), or text.length at the end of input.
// `keyFrom`: no key block begins before this index (the caller searched there already).
export function cutAt(text: Cuttable, limit: number, final: boolean, keyFrom = 0): number {
  if (text.length <= limit) return final ? text.length : 0;
  const roomLeft = !final && text.length <= MAX_CHARS;
  let cut = lastAt(text, '\n', limit - 1) + 1;
  if (cut === 0) {
    if (roomLeft) return 0;
    cut = limit;
  }
  // Most pieces hold no key at all: a forward search says so at once, where searching back from
  // the cut reads the whole piece slowly.
  const first = text.indexOf(PEM_BEGIN, keyFrom);
  if (first < 0 || first >= cut) return cut;
  const begin = lastAt(text, PEM_BEGIN, cut - 1);
  const end = text.indexOf(PEM_END, begin);
  if (end >= 0 && end < cut) return cut;
  // A key block is open at the cut: cut before its line, or, when it starts the piece, after
  // the line of its end.
  const lineStart = lastAt(text, '\n', begin - 1) + 1;
  if (lineStart > 0) return lineStart;
  const after = end < 0 ? -1 : text.indexOf('\n', end);
  if (after >= 0) return after + 1;
  if (final) return text.length;
  return roomLeft ? 0 : cut;
}

// Buffers in, latin1 text pieces out, each whole as described above. The cuts are found in the
// bytes (memchr and memmem), and each piece is decoded once: a pending string grown by `+=` was
// flattened (copied) by the first search of every read, and a 1 MiB read decoded to one string
// took a third of the time of the search that followed.
export class LineChunker {
  private readonly held: Buffer[] = [];
  private heldBytes = 0;
  private pending = Buffer.alloc(0);
  // No key block begins in `pending` before this index: cutAt's forward search starts there,
  // so each byte is searched once, not once per cut.
  private keyFrom = 0;

  constructor(private readonly limit = CHUNK_CHARS) {}

  // Until a whole piece is there, nothing is cut or even joined: reads of a few KiB (an archive
  // member's) are joined once per piece, not once per read.
  push(buf: Buffer): string[] {
    this.held.push(buf);
    this.heldBytes += buf.length;
    return this.pending.length + this.heldBytes <= this.limit ? [] : this.drain(false);
  }

  end(): string[] {
    return this.drain(true);
  }

  private drain(final: boolean): string[] {
    if (this.heldBytes > 0) {
      this.pending = Buffer.concat([this.pending, ...this.held]);
      this.held.length = 0;
      this.heldBytes = 0;
    }
    const out: string[] = [];
    for (;;) {
      if (this.pending.length === 0) return out;
      const cut = cutAt(this.pending, this.limit, final, this.noKeyBefore());
      if (cut === 0) {
        // Not enough for a whole piece yet; at the end, what is left is one.
        if (final) {
          out.push(this.pending.toString('latin1'));
          this.pending = Buffer.alloc(0);
          this.keyFrom = 0;
        }
        return out;
      }
      out.push(this.pending.toString('latin1', 0, cut));
      this.pending = this.pending.subarray(cut);
      this.keyFrom = Math.max(0, this.keyFrom - cut);
    }
  }

  // Where the first key block of the pending text may begin: its first `-----BEGIN `, or where
  // one could still begin once more text is appended.
  private noKeyBefore(): number {
    const at = this.pending.indexOf(PEM_BEGIN, this.keyFrom);
    this.keyFrom = at >= 0 ? at : Math.max(0, this.pending.length - PEM_BEGIN.length + 1);
    return this.keyFrom;
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
