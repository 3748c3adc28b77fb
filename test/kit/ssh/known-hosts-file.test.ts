import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendKnownHost, loadKnownHosts } from '../../../kit/ssh/known-hosts.js';

// Any well-formed ssh-ed25519 wire blob will do here; key material is irrelevant to file I/O.
const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

describe('known_hosts files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dropkit-khf-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the directory 0700 and the file 0600', async () => {
    const file = path.join(dir, 'new', '.ssh', 'known_hosts');
    await appendKnownHost(file, `a ssh-ed25519 ${ED}`);
    await appendKnownHost(file, `b ssh-ed25519 ${ED}`);
    expect(await readFile(file, 'utf8')).toBe(`a ssh-ed25519 ${ED}\nb ssh-ed25519 ${ED}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
  });

  it('never rewrites existing lines and repairs a missing final newline', async () => {
    const file = path.join(dir, 'existing');
    await writeFile(file, '# keep me\nold ssh-ed25519 AAAA', { mode: 0o644 });
    await appendKnownHost(file, `new ssh-ed25519 ${ED}`);
    expect(await readFile(file, 'utf8')).toBe(
      `# keep me\nold ssh-ed25519 AAAA\nnew ssh-ed25519 ${ED}\n`,
    );
    // An existing file keeps its permissions.
    expect((await stat(file)).mode & 0o777).toBe(0o644);
  });

  it('rejects lines with newlines', async () => {
    await expect(appendKnownHost(path.join(dir, 'x'), 'a\nb')).rejects.toThrow(/newline/);
  });

  it('loads several files, skipping missing ones and collecting warnings', async () => {
    const one = path.join(dir, 'one');
    await writeFile(one, `a ssh-ed25519 ${ED}\nbroken\n`);
    const { entries, warnings } = await loadKnownHosts([one, path.join(dir, 'missing'), dir]);
    expect(entries.map((e) => [e.file, e.line])).toEqual([[one, 1]]);
    expect(warnings).toEqual([
      `${one}:2: expected "hostnames keytype base64-key [comment]"`,
      expect.stringMatching(/cannot read/),
    ]);
  });
});
