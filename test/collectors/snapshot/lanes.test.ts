import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { COLLECTORS } from '../../../collectors/registry.js';
import { parseFrames } from '../../../collectors/snapshot/frames.js';
import { laneSplit } from '../../../collectors/snapshot/lanes.js';
import { buildSnapshotScript, newBoundary } from '../../../collectors/snapshot/script.js';
import type { CollectorSpec } from '../../../collectors/spec.js';

const spec = (id: string, kind: 'file' | 'command' | 'shell', extra: Partial<CollectorSpec> = {}) =>
  ({
    id,
    description: id,
    source:
      kind === 'file'
        ? { kind, path: `/proc/${id}` }
        : kind === 'command'
          ? { kind, argv: [id] }
          : { kind, sh: id },
    scope: 'global',
    rawPath: id,
    ...extra,
  }) as CollectorSpec;

// How many host-wide sources join the interfaces, for a given cost of theirs
// ($_cl, as the host computes it from its interfaces).
async function moved(split: ReturnType<typeof laneSplit>, l: number): Promise<number> {
  const r = await execa('sh', [
    '-c',
    [`_cl=${l}; _mv=0`, ...split.sh.slice(3), 'echo $_mv'].join('\n'),
  ]);
  return Number(r.stdout);
}

describe('the split between the two lanes', () => {
  const globals = [
    spec('softnet', 'file'),
    spec('ip', 'command'),
    spec('tc', 'command'),
    spec('frag', 'shell'),
    spec('uname', 'command'),
    spec('hosts', 'file'),
  ];
  const perIface = [
    spec('drv', 'command', { scope: 'per-interface', skipLoopback: true }),
    spec('ring', 'command', { scope: 'per-interface', skipLoopback: true, devicesOnly: true }),
    spec('mtu', 'file', { scope: 'per-interface' }),
  ];
  const split = laneSplit(globals, perIface);

  it('costs the interfaces on the host, by kind', () => {
    expect(split.sh.slice(0, 3)).toEqual([
      '_ca=0; _cn=0; _cv=0',
      `for d in /sys/class/net/*; do [ -e "$d" ] || continue; _ca=$((_ca + 1)); [ "\${d##*/}" = lo ] || _cn=$((_cn + 1)); [ -e "$d/device" ] && _cv=$((_cv + 1)); done`,
      '_cl=$((1 * _ca + 4 * _cn + 4 * _cv)); _mv=0',
    ]);
  });

  it('moves the last host-wide sources while the second lane stays the shorter', async () => {
    // Costs 1 4 4 6 4 1 (20 in all): hosts, then uname, can move; with frag
    // too, the second lane would be the longer even without interfaces.
    expect([await moved(split, 0), await moved(split, 10), await moved(split, 11)]).toEqual([
      2, 2, 1,
    ]);
    expect(await moved(split, 18)).toBe(1);
    expect(await moved(split, 19)).toBe(0);
    expect(await moved(split, 500)).toBe(0);
    expect(globals.map((_, i) => split.inSecond(i))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      '[ "$_mv" -gt 1 ]',
      '[ "$_mv" -gt 0 ]',
    ]);
  });

  it('runs each host-wide source in exactly one lane, whatever the split', async () => {
    for (const k of [0, 1, 2]) {
      const tests = globals.map((_, i) => split.inSecond(i));
      const r = await execa(
        'sh',
        [
          '-c',
          tests
            .map((t, i) => (t ? `${t} && echo 2:${i}; ${t} || echo 1:${i}` : `echo 1:${i}`))
            .join('\n'),
        ],
        { env: { _mv: String(k) } },
      );
      const lanes = r.stdout.split('\n');
      expect(lanes.map((x) => x.split(':')[1])).toEqual(['0', '1', '2', '3', '4', '5']);
      expect(lanes.filter((x) => x.startsWith('2:'))).toHaveLength(k);
    }
  });

  it('on the registry: the fastest counters always stay first in the main lane', () => {
    const g = COLLECTORS.filter((s) => s.scope === 'global');
    const s = laneSplit(
      g,
      COLLECTORS.filter((x) => x.scope === 'per-interface'),
    );
    expect(s.inSecond(0)).toBeUndefined();
    expect(s.inSecond(1)).toBeUndefined();
    expect(s.inSecond(g.length - 1)).toBe('[ "$_mv" -gt 0 ]');
  });

  it('under bash, the moved sources run in the second lane, each once', async () => {
    // Ten commands (40) and one cheap file per interface: at least the last
    // command moves on any machine with fewer than 33 interfaces.
    const specs = [
      ...Array.from({ length: 10 }, (_, i) =>
        spec(`g${i}`, 'command', { source: { kind: 'command', argv: ['true'] } }),
      ),
      spec('mtu', 'file', {
        scope: 'per-interface',
        source: { kind: 'file', path: '/sys/class/net/{iface}/mtu' },
      }),
    ];
    const b = newBoundary();
    const r = await execa('sh', ['-s'], { input: buildSnapshotScript(specs, b) });
    // Frames in output order: the main lane's as they ran, then the second
    // lane's, copied at its end.
    const order = parseFrames(Buffer.from(r.stdout), b).sections.map((x) => x.id);
    expect([...order].sort()).toEqual(
      [
        ...Array.from({ length: 10 }, (_, i) => `g${i}`),
        ...order.filter((x) => x === 'mtu'),
      ].sort(),
    );
    const firstIface = order.indexOf('mtu');
    expect(order[0]).toBe('g0');
    expect(firstIface).toBeGreaterThan(0);
    expect(order.indexOf('g9')).toBeGreaterThan(firstIface);
    // The split's tests are arithmetic on numbers only.
    expect(r.stderr).not.toMatch(/integer expression|syntax error/);
  });
});
