import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ethtoolDriverCollector } from '../../../collectors/ethtool-driver.js';
import { ethtoolStatsCollector } from '../../../collectors/ethtool-stats.js';
import { buildSnapshot as build, SKIPPED_SOFTWARE } from '../../../collectors/snapshot/build.js';
import { parseFrames } from '../../../collectors/snapshot/frames.js';
import { buildSnapshotScript, newBoundary } from '../../../collectors/snapshot/script.js';
import { sysfsNetCollector } from '../../../collectors/sysfs-stats.js';

// A node's idle pod veths cost no fork: ethtool -i and -S run on every
// interface backed by a device, and on a software one only when its kernel
// counters show a drop (the receiving pod's lxc… in the seed story). A fake
// /sys/class/net and ethtool stand in for the host's.

let dir: string;
let net: string;
let calls: string;

async function iface(name: string, o: { device?: boolean; txDropped?: number } = {}) {
  await mkdir(join(net, name, 'statistics'), { recursive: true });
  for (const [c, v] of [
    ['rx_packets', 10],
    ['rx_dropped', 0],
    ['tx_dropped', o.txDropped ?? 0],
  ] as const)
    await writeFile(join(net, name, 'statistics', c), `${v}\n`);
  await writeFile(join(net, name, 'ifindex'), '3\n');
  if (o.device) await mkdir(join(net, name, 'device'));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-software-ifaces-'));
  net = join(dir, 'net');
  calls = join(dir, 'calls');
  await iface('lo');
  await iface('eth0', { device: true });
  await iface('lxc0123456789ab');
  await iface('lxcdropping0001', { txDropped: 42 });
  for (let i = 0; i < 20; i++) await iface(`lxcidle${String(i).padStart(8, '0')}`);
  await mkdir(join(dir, 'bin'));
  await writeFile(
    join(dir, 'bin', 'ethtool'),
    `#!/bin/sh\necho "$1 $2" >> '${calls}'\n[ "$1" = -i ] && echo "driver: veth" || echo "NIC statistics:\n     peer_ifindex: 9"\n`,
  );
  await chmod(join(dir, 'bin', 'ethtool'), 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

for (const [label, bash] of [
  ['bash', true],
  ['POSIX sh', false],
] as const) {
  describe(`software interfaces under ${label}`, () => {
    it('runs ethtool on device-backed and dropping interfaces only, and lists the rest as skipped', async () => {
      await rm(calls, { force: true });
      const specs = [sysfsNetCollector, ethtoolDriverCollector, ethtoolStatsCollector];
      const b = newBoundary();
      const script = buildSnapshotScript(specs, b, { bash }).replaceAll('/sys/class/net', net);
      const r = await execa(bash ? 'bash' : 'dash', ['-c', script], {
        env: { PATH: `${join(dir, 'bin')}:${process.env['PATH']}` },
        encoding: 'buffer',
      });
      const called = (await import('node:fs'))
        .readFileSync(calls, 'utf8')
        .trim()
        .split('\n')
        .sort();
      expect(called).toEqual(['-S eth0', '-S lxcdropping0001', '-i eth0', '-i lxcdropping0001']);
      const { sections } = parseFrames(Buffer.from(r.stdout), b);
      const { snapshot } = build({
        host: 'h',
        takenAt: new Date().toISOString(),
        durationMs: 1,
        sections,
        specs,
      });

      expect(snapshot.skipped?.map((s) => s.id)).toEqual(['ethtool_i', 'ethtool_S']);
      for (const s of snapshot.skipped ?? []) {
        expect(s.reason).toBe(SKIPPED_SOFTWARE);
        expect(s.ifaces.sort()).toEqual(
          [
            'lxc0123456789ab',
            ...Array.from({ length: 20 }, (_, i) => `lxcidle${String(i).padStart(8, '0')}`),
          ].sort(),
        );
      }
      // The dropping veth keeps its driver's word, and its peer.
      const dropping = snapshot.interfaces.find((i) => i.name === 'lxcdropping0001');
      expect(dropping?.driver).toBe('veth');
      expect(dropping?.ethtool?.['peer_ifindex']).toBe(9n);
    });
  });
}
