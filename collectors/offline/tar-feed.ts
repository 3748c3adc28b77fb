import tar from 'tar-stream';
import { thousands } from '../../kit/thousands.js';
import { type ReadLimits, sizeText } from './limits.js';
import { limitError } from './read-errors.js';
import { shown } from './shown.js';

// One tar entry as the header describes it. `name` is the header's, not yet
// checked: whoever keeps it decides what a safe path is.
export interface TarEntry {
  name: string;
  // tar-stream's: file, directory, symlink, link (hard), fifo, character-device, …
  type: string;
  size: number;
  linkname?: string;
  mtime?: Date;
  mode?: number;
}

export interface TarSink {
  label: string;
  limits: ReadLimits;
  // Whether to buffer this regular file's bytes; everything else is skipped
  // as it streams past, never held.
  keep: (e: TarEntry) => boolean;
  onEntry: (e: TarEntry, bytes: Buffer | undefined) => void;
}

// The part of tar-stream's entry stream used here.
interface EntryStream {
  on(event: 'data' | 'end' | 'error', fn: (chunk?: unknown) => void): unknown;
  resume(): unknown;
}

const BLOCK = 512;
const ZERO_BLOCK = Buffer.alloc(BLOCK);

// Feeds unpacked bytes to tar-stream, one chunk at a time, with the caps.
// It also stops at the end-of-archive marker as GNU tar does: tar-stream
// would parse every zero block after it as a header, about 8 s for 1 GiB of
// padding, the cheapest decompression bomb there is.
export class TarFeed {
  private readonly extract = tar.extract();
  private readonly closed: Promise<void>;
  private unpacked = 0;
  private entries = 0;
  private kept = 0;
  private failure: Error | undefined;
  // Where the header after the last complete entry starts, until checked.
  private nextHeader: number | undefined = 0;
  private window: Array<{ at: number; buf: Buffer }> = [];
  private ended = false;
  private onEnded: () => void = () => undefined;
  private readonly endedSignal = new Promise<void>((r) => {
    this.onEnded = r;
  });

  constructor(private readonly sink: TarSink) {
    this.closed = new Promise<void>((resolve, reject) => {
      this.extract.on('finish', resolve);
      this.extract.on('error', reject);
    });
    this.closed.catch(() => undefined); // awaited by write() and end()
    this.extract.on('entry', (h, stream, next) => this.onEntry(h, stream, next));
  }

  // Takes one chunk; true once the archive has ended (stop reading).
  async write(chunk: Buffer): Promise<boolean> {
    const at = this.unpacked;
    this.unpacked += chunk.length;
    const { label, limits } = this.sink;
    if (this.unpacked > limits.unpackedBytes)
      throw limitError(
        label,
        `unpacks to more than ${sizeText(limits.unpackedBytes)} (the limit for one archive); it may be a decompression bomb`,
      );
    this.window = [...this.window.slice(-1), { at, buf: chunk }];
    if (this.atEnd()) return true;
    if (!this.extract.write(chunk)) {
      let onDrain: () => void = () => undefined;
      const drained = new Promise<void>((r) => {
        onDrain = () => r();
        this.extract.once('drain', onDrain);
      });
      await Promise.race([drained, this.closed, this.endedSignal]);
      this.extract.removeListener('drain', onDrain);
    }
    if (this.failure) throw this.failure;
    return this.ended;
  }

  async end(): Promise<void> {
    // The end marker may be seen only now, by the last entry's handler.
    if (!this.ended) {
      this.extract.end(undefined);
      await Promise.race([this.closed, this.endedSignal]);
    }
    if (this.failure) throw this.failure;
    if (this.ended) this.destroy();
  }

  destroy(): void {
    this.extract.destroy();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.extract.destroy(e);
  }

  private onEntry(h: tar.Header, stream: EntryStream, next: () => void): void {
    // A failure destroys the entry's stream with the error too; it is
    // reported once, by write() or end().
    stream.on('error', () => undefined);
    const e: TarEntry = {
      name: h.name,
      type: h.type ?? 'file',
      size: h.size ?? 0,
      ...(h.linkname ? { linkname: h.linkname } : {}),
      ...(h.mtime ? { mtime: h.mtime } : {}),
      ...(h.mode !== undefined ? { mode: h.mode } : {}),
    };
    const keep = (e.type === 'file' || e.type === 'contiguous-file') && this.sink.keep(e);
    const refused = this.overLimit(e, keep);
    if (refused) {
      this.fail(refused);
      return;
    }
    // One buffer of the header's size (checked above), filled as data comes:
    // never the chunks and their concatenation at once.
    const bytes = keep ? Buffer.allocUnsafe(e.size) : undefined;
    let filled = 0;
    if (bytes)
      stream.on('data', (c) => {
        filled += (c as Buffer).copy(bytes, filled);
      });
    stream.on('end', () => {
      try {
        this.sink.onEntry(e, bytes?.subarray(0, filled));
      } catch (err) {
        this.fail(err as Error);
        return;
      }
      const dataAt = (h as { byteOffset?: number }).byteOffset;
      // tar-stream reads no data for a directory, whatever its size says.
      const data = e.type === 'directory' ? 0 : Math.ceil(e.size / BLOCK) * BLOCK;
      this.nextHeader = typeof dataAt === 'number' ? dataAt + data : undefined;
      // At the end marker the entry is not released: tar-stream stops there.
      if (!this.atEnd()) next();
    });
    stream.resume();
  }

  // Counts the entry, and what keeping it would cost, against the limits.
  // The header's size is checked before any byte is held.
  private overLimit(e: TarEntry, keep: boolean): Error | undefined {
    const { label, limits } = this.sink;
    if (++this.entries > limits.entries)
      return limitError(
        label,
        `holds more than ${thousands(limits.entries)} entries (the limit for one archive)`,
      );
    if (!keep) return undefined;
    if (e.size > limits.fileBytes)
      return limitError(
        label,
        `${shown(e.name)} is ${sizeText(e.size)}, over the limit of ${sizeText(limits.fileBytes)} for one file`,
      );
    this.kept += e.size;
    if (this.kept > limits.keptBytes)
      return limitError(
        label,
        `the files to read add up to more than ${sizeText(limits.keptBytes)} (the limit for one archive)`,
      );
    return undefined;
  }

  // Whether the block where the next header starts is a zero block (GNU
  // tar's end of archive). Unknown until those bytes have been unpacked;
  // byteOffset is tar-stream's own: without it, no early stop, only the cap.
  private atEnd(): boolean {
    const h = this.nextHeader;
    const first = this.window[0];
    const last = this.window[this.window.length - 1];
    if (h === undefined || !first || !last) return false;
    if (h + BLOCK > last.at + last.buf.length) return false;
    this.nextHeader = undefined;
    if (h < first.at || !blockAt(this.window, h).equals(ZERO_BLOCK)) return false;
    this.ended = true;
    this.onEnded();
    return true;
  }
}

// The 512 bytes at offset `at`, from the last chunks (one copy at most, when
// the block straddles two of them).
function blockAt(window: Array<{ at: number; buf: Buffer }>, at: number): Buffer {
  const parts: Buffer[] = [];
  for (const w of window) {
    const from = Math.max(at, w.at);
    const to = Math.min(at + BLOCK, w.at + w.buf.length);
    if (from < to) parts.push(w.buf.subarray(from - w.at, to - w.at));
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}
