import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseFrames, parseStderrFrames } from '../../../collectors/snapshot/frames.js';
import { buildSnapshotScript, newBoundary } from '../../../collectors/snapshot/script.js';
import type { CollectorSpec } from '../../../collectors/spec.js';

const spec = (
  id: string,
  source: CollectorSpec['source'],
  extra: Partial<CollectorSpec> = {},
): CollectorSpec => ({
  id,
  description: id,
  source,
  scope: 'global',
  rawPath: `t/${id}`,
  ...extra,
});

const SPECS: CollectorSpec[] = [
  spec('binary', { kind: 'shell', sh: "printf '\\000\\377\\n\\n'" }),
  spec('noeol', { kind: 'shell', sh: "printf 'abc'; echo oops >&2; exit 3" }),
  spec('missing', { kind: 'command', argv: ['dropkit-no-such-tool', '-S'] }),
  spec('slow', { kind: 'command', argv: ['sleep', '5'] }, { timeoutSec: 1 }),
  // A fake marker in the output must not end the section.
  spec('liar', { kind: 'shell', sh: "echo 'DKB-0000 end liar - rc=0 ns=1'; echo after" }),
  spec('mtu', { kind: 'file', path: '/sys/class/net/{iface}/mtu' }, { scope: 'per-interface' }),
];

for (const shell of [['dash'], ['busybox', 'sh']]) {
  describe(`snapshot script under ${shell.join(' ')}`, () => {
    it('frames every section with exit code, timing, and exact bytes', async () => {
      const b = newBoundary();
      const r = await execa(shell[0]!, [...shell.slice(1), '-s'], {
        input: buildSnapshotScript(SPECS, b),
        encoding: 'buffer',
      });
      const { sections, warnings } = parseFrames(Buffer.from(r.stdout), b);
      // stderr travels on its own stream, framed the same way.
      const errs = parseStderrFrames(Buffer.from(r.stderr).toString(), b);
      for (const s of sections)
        s.stderr = errs.get(s.iface ? `${s.id}\u0000${s.iface}` : s.id) ?? '';
      expect(warnings).toEqual([]);
      const by = (id: string) => sections.find((s) => s.id === id)!;
      expect([...by('binary').stdout]).toEqual([0, 255, 10, 10]);
      expect(by('binary').exitCode).toBe(0);
      expect(by('noeol').stdout.toString()).toBe('abc');
      expect(by('noeol').exitCode).toBe(3);
      expect(by('noeol').stderr).toBe('oops');
      expect(by('missing').exitCode).toBe(127);
      expect(by('slow').exitCode).toBe(124);
      expect(by('slow').durationMs).toBeGreaterThan(900);
      expect(by('liar').stdout.toString()).toBe('DKB-0000 end liar - rc=0 ns=1\nafter\n');
      // Interfaces are expanded on the host: one section per /sys/class/net entry.
      const ifaces = sections.filter((s) => s.id === 'mtu');
      expect(ifaces.map((s) => s.iface)).toContain('lo');
      expect(ifaces.find((s) => s.iface === 'lo')?.stdout.toString()).toBe('65536\n');
    });
  });
}

describe('frame parsing', () => {
  it('keeps a truncated last section and says so', () => {
    const b = 'DKB-x';
    const out = Buffer.from(
      `${b} begin a - 1700000000000000000\nfull\n${b} end a - rc=0 ns=1700000000001000000\n${b} begin b - 1700000000002000000\npart`,
    );
    const { sections, warnings } = parseFrames(out, b);
    expect(sections[0]).toMatchObject({ id: 'a', exitCode: 0, truncated: false, durationMs: 1 });
    expect(sections[1]).toMatchObject({ id: 'b', exitCode: null, truncated: true });
    expect(sections[1]!.stdout.toString()).toBe('part');
    expect(warnings[0]).toMatch(/no end marker/);
  });

  it('never throws on garbage', () => {
    expect(parseFrames(Buffer.from('garbage\n\0\xff'), 'DKB-y').sections).toEqual([]);
    expect(parseFrames(Buffer.alloc(0), 'DKB-y').warnings).toEqual([]);
  });
});
