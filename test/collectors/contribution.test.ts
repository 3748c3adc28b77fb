import { describe, expect, it } from 'vitest';
import { asText, intoInterface, intoSnapshot } from '../../collectors/contribution.js';
import { SOS_LAYOUT } from '../../collectors/offline/layouts.js';
import { rawOnly } from '../../collectors/raw-only.js';
import { COLLECTORS } from '../../collectors/registry.js';
import { buildSnapshot } from '../../collectors/snapshot/build.js';
import type { CollectorSpec } from '../../collectors/spec.js';
import { section as sec } from './snapshot/section.js';

// A collector is one file: its spec says what it adds to the snapshot and
// where a sos report keeps it; the builder and the sos layout name no source.

describe('a source declared in one object', () => {
  // Two made-up sources, as a new collector file would declare them.
  const hostWide: CollectorSpec = {
    id: 'made_up',
    description: 'a host-wide source',
    source: { kind: 'file', path: '/proc/made_up' },
    scope: 'global',
    rawPath: 'made-up.txt',
    model: intoSnapshot(
      (text) => ({ value: text.trim(), warnings: text.includes('odd') ? ['odd line'] : [] }),
      (v, d) => {
        d.fields.sysctls = { ...d.fields.sysctls, 'made.up': v };
      },
    ),
  };
  const perIface: CollectorSpec = {
    id: 'made_up_if',
    description: 'a per-interface source',
    source: { kind: 'command', argv: ['cat', '/sys/class/net/{iface}/mtu'] },
    scope: 'per-interface',
    rawPath: 'made-up/{iface}.txt',
    model: intoInterface(asText, (text, i) => {
      i.speedMbps = Number(text);
    }),
  };
  const { snapshot, raw } = buildSnapshot({
    host: 'h',
    takenAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    sections: [
      sec('sysfs_net', 'eth0/mtu 1500\nlo/mtu 65536'),
      sec('made_up', 'value, odd\n'),
      sec('made_up_if', '25000', 'eth0'),
      sec('made_up_if', '1', 'eth9'),
    ],
    specs: [...COLLECTORS, hostWide, perIface],
  });

  it('lands in the snapshot, with its warnings under its name', () => {
    expect(snapshot.sysctls).toEqual({ 'made.up': 'value, odd' });
    expect(snapshot.interfaces.find((i) => i.name === 'eth0')?.speedMbps).toBe(25000);
    // eth9 is named by this source only: it is an interface all the same.
    expect(snapshot.interfaces.find((i) => i.name === 'eth9')?.speedMbps).toBe(1);
    expect(snapshot.warnings).toEqual(['made_up: odd line']);
    expect(raw.map((r) => r.path)).toEqual([
      'net/sysfs-class-net.txt',
      'made-up.txt',
      'made-up/eth0.txt',
      'made-up/eth9.txt',
    ]);
  });
});

describe('the registry', () => {
  it('gives the sos layout: each source where sos keeps it, the interface as one segment', () => {
    for (const c of COLLECTORS)
      for (const path of c.sos ?? [])
        expect(path.includes('{iface}'), `${c.id} ${path}`).toBe(c.scope === 'per-interface');
    const ipLink = SOS_LAYOUT.filter((e) => e.path.startsWith('sos_commands/networking/ip_')).map(
      (e) => e.path,
    );
    // The first one present wins: the -d form first.
    expect(ipLink).toEqual([
      'sos_commands/networking/ip_-s_-d_link',
      'sos_commands/networking/ip_-s_link',
      'sos_commands/networking/ip_-s_-s_link',
    ]);
    expect(SOS_LAYOUT).toContainEqual({
      id: 'tc_qdisc',
      path: 'sos_commands/networking/tc_-s_qdisc_show',
    });
  });

  it('a raw-only source: per interface when its path names one, its program the tool', () => {
    const perIface = rawOnly({
      id: 'x',
      description: 'x',
      source: { kind: 'command', argv: ['ethtool', '-x', '{iface}'] },
      rawPath: 'ethtool/{iface}/ethtool-x.txt',
    });
    expect(perIface).toMatchObject({ scope: 'per-interface', tool: 'ethtool' });
    expect(perIface.model).toBeUndefined();
    const file = rawOnly({
      id: 'y',
      description: 'y',
      source: { kind: 'file', path: '/proc/y' },
      rawPath: 'proc/y',
    });
    expect(file.scope).toBe('global');
    expect(file).not.toHaveProperty('tool');
  });
});
