import { constants, existsSync } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, readlink, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DropkitError } from './errors.js';
import { makeDirs } from './make-dirs.js';
import { resolveUnder } from './safe-path.js';

// Writes files into a directory without ever following a link below it.
// The directory may be shared (/tmp, a team folder), so anything already in
// it may have been planted by someone else: a symlink `raw -> ~victim/` or
// `snapshot.json -> ~victim/.profile`. Here:
// - every path is checked first (kit/safe-path.ts): nothing is written if one is bad;
// - the directory itself may exist (and be a link the user chose), but every
//   folder below it is created by us (mode 0700) and a name already there is refused;
// - folders are held open and entered through /proc/self/fd, so one cannot be
//   swapped for a link between its creation and its use (openat, in effect);
// - files are created O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600: never an existing file.

export interface NewFile {
  // Relative, forward-slashed.
  path: string;
  bytes: Buffer | string;
}

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_DIRECTORY } = constants;
const HINT = 'use a new or empty directory for --out';

export async function writeNewTree(root: string, files: readonly NewFile[]): Promise<void> {
  const base = resolve(root);
  const plan = files
    .map((f) => {
      resolveUnder(base, f.path, { code: 'OUT_NOT_WRITABLE', step: 'write' });
      return { segs: f.path.split('/'), bytes: f.bytes };
    })
    .sort((a, b) => compareSegs(a.segs, b.segs));
  await prepareRoot(base);
  for (const top of new Set(plan.map((p) => p.segs[0]!))) await refuseExisting(base, top);
  const pins = await DirPins.open(base);
  try {
    for (const p of plan) {
      const dir = await pins.enter(p.segs.slice(0, -1));
      await createFile(dir, join(base, ...p.segs), p.segs.at(-1)!, p.bytes);
    }
  } finally {
    await pins.closeAll();
  }
}

function compareSegs(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++)
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

// The directory the user named: created if missing, followed if a link.
async function prepareRoot(base: string): Promise<void> {
  try {
    await makeDirs(base, 0o700);
    if (!(await stat(base)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
  } catch (e) {
    throw new DropkitError({
      code: 'OUT_NOT_WRITABLE',
      message: `cannot write to ${base}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      step: 'write',
      hint: HINT,
    });
  }
}

async function whatIsAt(path: string): Promise<string> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return 'something that appeared meanwhile';
  if (st.isSymbolicLink()) {
    const to = await readlink(path).catch(() => '?');
    return `a symbolic link to ${JSON.stringify(to)}`;
  }
  return st.isDirectory() ? 'a directory' : 'a file';
}

async function refuseExisting(base: string, name: string): Promise<void> {
  const path = join(base, name);
  if (
    await lstat(path).then(
      () => true,
      () => false,
    )
  )
    throw await alreadyThere(path);
}

async function alreadyThere(path: string): Promise<DropkitError> {
  return new DropkitError({
    code: 'OUT_NOT_WRITABLE',
    message: `refusing to write ${path}: ${await whatIsAt(path)} is already there, and nothing is written through an existing file or link`,
    step: 'write',
    hint: HINT,
  });
}

function failed(path: string, e: unknown): DropkitError {
  return new DropkitError({
    code: 'OUT_NOT_WRITABLE',
    message: `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    step: 'write',
    hint: HINT,
    cause: e,
  });
}

// Where a folder is reached: through its open handle when /proc is there.
interface Pin {
  name: string;
  real: string;
  via: string;
  handle?: FileHandle;
}

// The chain of folders we created and hold open, from the root down. Files
// come sorted, so a folder left behind is never needed again.
class DirPins {
  private constructor(
    private readonly chain: Pin[],
    private readonly proc: boolean,
  ) {}

  static async open(base: string): Promise<DirPins> {
    const proc = existsSync('/proc/self/fd');
    const pin: Pin = { name: '', real: base, via: base };
    if (proc) {
      pin.handle = await open(base, O_RDONLY | O_DIRECTORY).catch((e: unknown) => {
        throw failed(base, e);
      });
      pin.via = `/proc/self/fd/${pin.handle.fd}`;
    }
    return new DirPins([pin], proc);
  }

  // The folder `segs` below the root, created by us, as a path to use.
  async enter(segs: string[]): Promise<string> {
    let keep = 1;
    while (keep < this.chain.length && this.chain[keep]!.name === segs[keep - 1]) keep++;
    while (this.chain.length > keep) await this.chain.pop()!.handle?.close();
    for (const name of segs.slice(keep - 1)) {
      const parent = this.chain.at(-1)!;
      const real = join(parent.real, name);
      const at = join(parent.via, name);
      try {
        await mkdir(at, { mode: 0o700 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw await alreadyThere(real);
        throw failed(real, e);
      }
      this.chain.push(await this.pin(name, real, at));
    }
    return this.chain.at(-1)!.via;
  }

  // O_NOFOLLOW: the folder just made, not a link swapped in since.
  private async pin(name: string, real: string, at: string): Promise<Pin> {
    if (this.proc) {
      const handle = await open(at, O_RDONLY | O_DIRECTORY | O_NOFOLLOW).catch(
        async (e: unknown) => {
          throw (e as NodeJS.ErrnoException).code === 'ELOOP'
            ? await alreadyThere(real)
            : failed(real, e);
        },
      );
      return { name, real, via: `/proc/self/fd/${handle.fd}`, handle };
    }
    const st = await lstat(at);
    if (!st.isDirectory()) throw await alreadyThere(real);
    return { name, real, via: at };
  }

  async closeAll(): Promise<void> {
    while (this.chain.length) await this.chain.pop()!.handle?.close();
  }
}

async function createFile(dir: string, real: string, name: string, bytes: Buffer | string) {
  let fh: FileHandle;
  try {
    fh = await open(join(dir, name), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ELOOP') throw await alreadyThere(real);
    throw failed(real, e);
  }
  try {
    await fh.writeFile(bytes);
  } catch (e) {
    throw failed(real, e);
  } finally {
    await fh.close();
  }
}
