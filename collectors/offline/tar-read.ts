import { READ_LIMITS, type ReadLimits } from './limits.js';
import { abortedError, readError } from './read-errors.js';
import { type TarEntry, TarFeed } from './tar-feed.js';
import { openTarSource } from './tar-source.js';

export type { TarEntry } from './tar-feed.js';

export interface ReadTarOptions {
  // The archive as messages name it.
  label: string;
  keep: (e: TarEntry) => boolean;
  onEntry: (e: TarEntry, bytes: Buffer | undefined) => void;
  limits?: ReadLimits;
  signal?: AbortSignal;
  // Refuse an uncompressed tar (a bundle is always a .tar.gz).
  gzipOnly?: boolean;
  // Also return the whole file's size and sha256.
  digest?: boolean;
}

// Reads a tar or tar.gz in this process, streaming: nothing is extracted,
// nothing is created on disk, and only the entries `keep` asks for are held
// in memory, within the limits. Links, devices and FIFOs are only described
// to `onEntry`; what to make of them is the caller's business.
export async function readTar(
  file: string,
  o: ReadTarOptions,
): Promise<{ bytes: number; sha256: string } | undefined> {
  const limits = o.limits ?? READ_LIMITS;
  const source = await openTarSource(file, {
    label: o.label,
    unpackBytes: limits.unpackedBytes,
    ...(o.gzipOnly ? { gzipOnly: true } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const feed = new TarFeed({ label: o.label, limits, keep: o.keep, onEntry: o.onEntry });
  try {
    for await (const chunk of source.chunks) if (await feed.write(chunk)) break;
    await feed.end();
    // Ctrl-C while the last piece was being read still counts.
    o.signal?.throwIfAborted();
    return o.digest ? await source.digest() : undefined;
  } catch (e) {
    feed.destroy();
    throw o.signal?.aborted ? abortedError(o.label) : readError(o.label, e);
  } finally {
    source.close();
  }
}
