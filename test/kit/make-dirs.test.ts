import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutDir } from '../../bundles/out-dir.js';
import { makeDirs } from '../../kit/make-dirs.js';

const dir = mkdtempSync(join(tmpdir(), 'dropkit-mkdirs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('makeDirs', () => {
  it('makes every missing level, with the mode; an existing directory is fine', async () => {
    const deep = join(dir, 'a', 'b', 'c');
    await makeDirs(deep, 0o700);
    expect(statSync(deep).mode & 0o777).toBe(0o700);
    await makeDirs(deep);
  });

  it("a path under a file, or one procfs refuses, is an error (Node's own mkdir -p spins forever on the second)", async () => {
    const file = join(dir, 'f');
    writeFileSync(file, '');
    await expect(makeDirs(join(file, 'x'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(makeDirs('/proc/dropkit-no-such-dir/x')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(checkOutDir('/proc/dropkit-no-such-dir')).rejects.toThrow(
      /cannot write bundles to \/proc\/dropkit-no-such-dir: ENOENT/,
    );
  });
});
