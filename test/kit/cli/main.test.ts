import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main as collect } from '../../../kit/cli/collect.js';
import { main as repro } from '../../../kit/cli/repro.js';

// Both programs run in-process: main(argv) returns the exit code, and each
// call starts with its own signal handlers and interrupt.
const dir = mkdtempSync(join(tmpdir(), 'dropkit-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => out.push(String(c)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => err.push(String(c)) > 0);
  return { out: () => out.join(''), err: () => err.join('') };
}

describe('main(argv)', () => {
  it('--version and --help exit 0', async () => {
    const io = capture();
    expect(await collect(['node', 'collect', '--version'])).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(await repro(['node', 'repro', 'run', '--help'])).toBe(0);
    expect(io.out()).toContain('--pair');
  });

  it('usage errors exit 2, from commander and from a command body', async () => {
    const io = capture();
    expect(await collect(['node', 'collect', 'nonesuch'])).toBe(2);
    expect(await collect(['node', 'collect', 'doctor'])).toBe(2);
    expect(io.err()).toContain('give --node HOST (repeatable) or --local');
    expect(await repro(['node', 'repro', 'doctor', '--pair', 'a'])).toBe(2);
  });

  it('runs a command, twice in one process, and leaves no signal handler behind', async () => {
    // A snapshot directory as `collect snapshot --out` writes it.
    const snap = join(dir, 'snap');
    mkdirSync(join(snap, 'raw', 'proc', 'net'), { recursive: true });
    writeFileSync(
      join(snap, 'raw', 'proc', 'net', 'softnet_stat'),
      readFileSync(
        join('test', 'fixtures', 'softnet_stat', 'aws-ec2-ubuntu-5.4.0-1084-aws-2cpu-11col.txt'),
      ),
    );
    const before = process.listenerCount('SIGINT');
    for (let i = 0; i < 2; i++) {
      const io = capture();
      expect(await collect(['node', 'collect', 'analyze', snap, '--json'])).toBe(0);
      expect(JSON.parse(io.out()).schema).toBe('dropkit.analyze/1');
      vi.restoreAllMocks();
    }
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
