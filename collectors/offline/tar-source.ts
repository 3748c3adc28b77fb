import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import { inputError, readError } from './read-errors.js';
import { xzDecode } from './xz-decode.js';

// The bytes of a tar, from a .tar, .tar.gz or .tar.xz file, and the file's digest.
export interface TarSource {
  chunks: AsyncIterable<Buffer>;
  // The whole file's size and sha256, once the tar has been read (the rest
  // of the file, after the tar's end, is read for it).
  digest(): Promise<{ bytes: number; sha256: string }>;
  close(): void;
}

export interface SourceOptions {
  label: string;
  gzipOnly?: boolean;
  signal?: AbortSignal;
  // Never unpack more than this in one piece (the stream takes over).
  unpackBytes: number;
}

// A file this small (a bundle is about 20 KiB) is read whole, and a gzip one
// unpacked in one call: the stream's own overhead, a few event-loop turns per
// chunk, was three times the cost of reading a bundle back. Unpacking in one
// piece is capped at WHOLE_UNPACK_MAX; past it, the same bytes are streamed.
const WHOLE_FILE_MAX = 4 << 20;
const WHOLE_UNPACK_MAX = 16 << 20;
const CHUNK = 1 << 16;
// Unpacked bytes come in pieces this big: each piece costs a few event-loop
// turns, and with 64 KiB ones a 1 GiB bomb took three times as long to refuse.
const UNPACK_CHUNK = 1 << 20;

export async function openTarSource(file: string, o: SourceOptions): Promise<TarSource> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    // Non-blocking, so a FIFO cannot hold open(); then only a regular file
    // is read (a FIFO or /dev/zero would never end).
    fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw readError(o.label, e);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw inputError(o.label, 'not a regular file');
    const size = st.size;
    if (size <= WHOLE_FILE_MAX) {
      const buf = await fh.readFile();
      await fh.close();
      return wholeSource(buf, o);
    }
    const head = Buffer.alloc(8);
    await fh.read(head, 0, 8, 0);
    return streamSource(fh, checkFormat(head, o), o);
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw readError(o.label, e);
  }
}

function wholeSource(buf: Buffer, o: SourceOptions): TarSource {
  const format = checkFormat(buf, o);
  let chunks: AsyncIterable<Buffer> | Iterable<Buffer> = [buf];
  let stream: Readable | undefined;
  if (format === 'xz') chunks = xzDecode([buf], UNPACK_CHUNK);
  if (format === 'gzip') {
    try {
      chunks = [
        gunzipSync(buf, { maxOutputLength: Math.min(WHOLE_UNPACK_MAX, o.unpackBytes + 1) }),
      ];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw e;
      stream = Readable.from([buf]).pipe(createGunzip({ chunkSize: UNPACK_CHUNK }));
      chunks = stream;
    }
  }
  const sha256 = createHash('sha256').update(buf).digest('hex');
  return {
    chunks: slices(chunks, o.signal),
    digest: async () => ({ bytes: buf.length, sha256 }),
    close: () => stream?.destroy(),
  };
}

function streamSource(
  fh: Awaited<ReturnType<typeof open>>,
  format: Format,
  o: SourceOptions,
): TarSource {
  const src = fh.createReadStream({ start: 0, highWaterMark: CHUNK });
  const hash = createHash('sha256');
  let bytes = 0;
  src.on('data', (c) => {
    hash.update(c as Buffer);
    bytes += (c as Buffer).length;
  });
  // Piped even when plain (or xz, unpacked from the piped bytes), so the
  // digest's 'data' listener and the reader both see every chunk.
  const out = src.pipe(
    format === 'gzip' ? createGunzip({ chunkSize: UNPACK_CHUNK }) : new PassThrough(),
  );
  src.on('error', (e) => out.destroy(e));
  const piped = out.iterator({ destroyOnReturn: false });
  return {
    chunks: slices(format === 'xz' ? xzDecode(piped, UNPACK_CHUNK) : piped, o.signal),
    digest: async () => {
      src.unpipe(out);
      src.resume();
      await finished(src);
      return { bytes, sha256: hash.digest('hex') };
    },
    close: () => {
      out.destroy();
      src.destroy();
    },
  };
}

// Chunks of at most 1 MiB (a whole file's unpacked bytes would otherwise go
// to tar-stream in one write), checking for Ctrl-C between them.
async function* slices(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  signal: AbortSignal | undefined,
): AsyncIterable<Buffer> {
  for await (const c of chunks) {
    for (let at = 0; at < c.length; at += 1 << 20) {
      signal?.throwIfAborted();
      yield c.subarray(at, at + (1 << 20));
    }
  }
}

type Format = 'tar' | 'gzip' | 'xz';

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

const REFUSED: Array<[magic: number[], name: string, unpack: string]> = [
  [[0x42, 0x5a, 0x68], 'bzip2', 'bzip2 -dk'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd', 'zstd -d'],
];

// gzip, xz or plain tar by the first bytes, whatever the file's name says;
// tar-stream checks the tar itself. Other compressions are refused by name:
// their decoders are not part of Node or of dropkit, and running an
// external one on a stranger's archive is what this reader exists to avoid.
function checkFormat(head: Buffer, o: SourceOptions): Format {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  for (const [magic, name, unpack] of REFUSED)
    if (magic.every((b, i) => head[i] === b))
      throw inputError(
        o.label,
        `${name}-compressed archives are not read`,
        `decompress it first (${unpack} FILE), then give the .tar`,
      );
  if (o.gzipOnly) throw inputError(o.label, 'not gzip-compressed');
  return XZ_MAGIC.every((b, i) => head[i] === b) ? 'xz' : 'tar';
}
