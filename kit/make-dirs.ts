import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

// `mkdir -p` for a directory the operator named (--out). Not Node's
// mkdir({recursive: true}): on a path the kernel refuses to create but
// reports missing (anything under /proc) it retries forever, spinning a CPU
// and deaf to Ctrl-C. Here the missing levels are found first, then each is
// made once, and the first refusal is the error.
export async function makeDirs(dir: string, mode?: number): Promise<void> {
  const missing: string[] = [];
  for (let d = resolve(dir); ; ) {
    try {
      await stat(d);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.push(d);
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  for (const d of missing.reverse())
    await mkdir(d, mode === undefined ? {} : { mode }).catch((e: NodeJS.ErrnoException) => {
      // Made meanwhile by someone else: fine, as with mkdir -p.
      if (e.code !== 'EEXIST') throw e;
    });
}
