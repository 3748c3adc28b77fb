import { setImmediate as nextTurn } from 'node:timers/promises';

// Unpacks an xz stream in this process, as it streams, for `collect analyze`
// (a sos report's default archive is .tar.xz). Node has no xz decoder: this
// one is xz-decompress, XZ Embedded (the decoder of the Linux kernel) built
// to WebAssembly and carried inside its JavaScript, so nothing is compiled
// or downloaded at install, and the CLI's bundle holds all of it. It checks
// CRC32 and CRC64 (xz's default), reads concatenated streams, and refuses a
// dictionary over 64 MiB (xz -9's), which bounds its memory: the unpacked
// bytes are counted, and capped, by whoever reads these chunks.

// XZ Embedded's codes (xz.h), as the decoder reports them.
const XZ_ERRORS: Record<number, [code: string, problem: string]> = {
  2: ['XZ_UNSUPPORTED_CHECK', 'an integrity check of a kind this reader does not know'],
  3: ['XZ_MEM_ERROR', 'out of memory'],
  4: ['XZ_MEMLIMIT_ERROR', 'it needs a dictionary over 64 MiB'],
  5: ['XZ_FORMAT_ERROR', 'not an xz stream'],
  6: ['XZ_OPTIONS_ERROR', 'a SHA-256 check or a filter this reader does not support'],
  7: ['XZ_DATA_ERROR', 'damaged data, or a failed integrity check'],
  8: ['XZ_BUF_ERROR', 'unexpected end of file'],
};

// The unpacked bytes, in pieces of `pieceBytes` (the decoder gives 64 KiB
// at a time, and each piece costs the tar reader a few event-loop turns).
// Stopping early (return or throw from the consumer's loop) cancels the
// decoder, which frees it for the next archive: it decodes one stream at a
// time per process and waits for the previous one to end.
export async function* xzDecode(
  input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  pieceBytes: number,
): AsyncGenerator<Buffer> {
  const { default: xz } = await import('xz-decompress');
  const source = (async function* () {
    yield* input;
  })();
  const compressed = new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        const r = await source.next();
        if (r.done) c.close();
        else c.enqueue(r.value);
      },
      // Not awaited: a read of the file may be under way.
      cancel() {
        source.return(undefined).catch(() => undefined);
      },
    },
    // Read from the file only when the decoder asks.
    { highWaterMark: 0 },
  );
  const reader = new xz.XzReadableStream(compressed).getReader();
  try {
    let piece = Buffer.allocUnsafe(pieceBytes);
    let filled = 0;
    for (;;) {
      const r = await reader.read().catch((e: unknown) => {
        throw xzError(e);
      });
      if (r.done) break;
      for (let at = 0; at < r.value.length; ) {
        const n = Math.min(r.value.length - at, pieceBytes - filled);
        piece.set(r.value.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled < pieceBytes) continue;
        yield piece;
        piece = Buffer.allocUnsafe(pieceBytes);
        filled = 0;
        // The decoder's promises run as microtasks, and a bomb needs no new
        // input for a long while: without a turn of the event loop, Ctrl-C
        // would not be seen until the limit is reached.
        await nextTurn();
      }
    }
    if (filled) yield piece.subarray(0, filled);
  } finally {
    // A no-op once the stream has ended or failed (the decoder is free then).
    await reader.cancel().catch(() => undefined);
  }
}

// The decoder's `get_next_output failed with error code 7` as an error with
// a code (XZ_DATA_ERROR) and words; other errors (the file's) pass as they are.
function xzError(e: unknown): unknown {
  const n = /failed with error code (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
  const known = n === undefined ? undefined : XZ_ERRORS[Number(n)];
  if (!known) return e;
  return Object.assign(new Error(known[1]), { code: known[0] });
}
