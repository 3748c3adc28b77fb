import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Writes bytes atomically and durably: a temporary file in the same
// directory, created with `mode`, fsync, then moved to the final name, then
// fsync of the directory so the name itself survives a crash. A crash at any
// point leaves either no file under the final name or the whole one (only a
// dot-prefixed .partial, removed on error).
//
// By default the final name must not exist (link() fails with EEXIST): a
// bundle is never overwritten. With `replace`, rename() swaps it in, and a
// reader sees the old file or the new one, never half of either; the old
// file's wider mode is not reused.
//
// `check` reads the written file (by its temporary name) while the fsync
// runs, and may refuse it: it then never gets the final name. A bundle's
// read back and leak scan take about as long as the fsync, which they
// no longer wait for.
export async function writeAtomic(
  file: string,
  bytes: Buffer | string,
  o: { mode?: number; replace?: boolean; check?: (tmp: string) => Promise<void> } = {},
): Promise<void> {
  const mode = o.mode ?? 0o600;
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${randomBytes(6).toString('hex')}.partial`);
  let moved = false;
  try {
    const fh = await open(tmp, 'wx', mode);
    try {
      // The umask can only remove bits; chmod makes the mode exact either way.
      await fh.chmod(mode);
      for (let at = 0; at < data.length; at += 1 << 20)
        await fh.write(data.subarray(at, Math.min(data.length, at + (1 << 20))));
      // Both settle before the handle closes: a refusal does not cut the
      // fsync short.
      const [synced, checked] = await Promise.allSettled([fh.sync(), o.check?.(tmp)]);
      if (checked.status === 'rejected') throw checked.reason;
      if (synced.status === 'rejected') throw synced.reason;
    } finally {
      await fh.close();
    }
    if (o.replace) {
      await rename(tmp, file);
      moved = true;
    } else await link(tmp, file);
    await syncDir(dir);
  } finally {
    if (!moved) await unlink(tmp).catch(() => undefined);
  }
}

// fsync of a directory commits the names in it (link, rename, unlink).
async function syncDir(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}
