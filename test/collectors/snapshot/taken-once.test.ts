import { describe, expect, it } from 'vitest';
import { COLLECTORS } from '../../../collectors/registry.js';
import { buildSnapshot } from '../../../collectors/snapshot/build.js';
import type { Section } from '../../../collectors/snapshot/frames.js';
import { snapshotBody } from '../../../collectors/snapshot/script.js';
import {
  carriedSections,
  coveredInterfaces,
  TAKEN_ONCE,
  TAKEN_ONCE_PATH,
} from '../../../collectors/snapshot/taken-once.js';
import { fixture } from '../fixture-files.js';
import { section as sec } from './section.js';

// A reproduction's "after" snapshot does not run again the sources that
// cannot change during the run: it parses the "before" one's output as its
// own, and its raw/ keeps copies and lists what it took from there.

const build = (sections: Section[], carried?: Section[]) =>
  buildSnapshot({
    host: 'h',
    takenAt: '2026-01-01T00:00:00.000Z',
    durationMs: 12,
    sections,
    specs: COLLECTORS,
    ...(carried ? { carried } : {}),
  });

const sysfs = (ifaces: string[]) =>
  sec('sysfs_net', ifaces.map((i) => `${i}/rx_dropped 5\n${i}/mtu 1500`).join('\n'));

describe('an "after" snapshot that takes the static sources once', () => {
  const before = build([
    sysfs(['eth0', 'eth1']),
    sec('uname', 'Linux aks-node-0 5.15.0-1034-azure #41-Ubuntu SMP x86_64 GNU/Linux\n'),
    sec('os_release', 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\n'),
    sec('lspci', '', undefined, 127),
    sec('ethtool_i', fixture('ethtool_i/hv_netvsc-wsl2-5.10.102.1-microsoft.txt'), 'eth0'),
    sec('ethtool_i', fixture('ethtool_i/hv_netvsc-wsl2-5.10.102.1-microsoft.txt'), 'eth1'),
    sec('ethtool_S', 'NIC statistics:\n     rx_packets: 1\n', 'eth0'),
    sec('boot_id', 'bc8c62e5-fe5f-9d98-bdb1-78f7d441d3f8\n'),
    sec('rps_xps', 'eth0/rx-0/rps_cpus 2\neth0/rx-0/rps_flow_cnt 0\neth0/tx-0/xps_cpus 1\n'),
  ]);
  const carried = carriedSections(before.raw);
  // eth1 is gone by the end of the run.
  const after = build(
    [
      sysfs(['eth0']),
      sec('ethtool_S', 'NIC statistics:\n     rx_packets: 9\n', 'eth0'),
      sec('lspci', 'no PCI bus\n', undefined, 1),
      sec('boot_id', 'bc8c62e5-fe5f-9d98-bdb1-78f7d441d3f8\n'),
    ],
    carried,
  );

  it('carries only the static sources that succeeded, never a counter', () => {
    expect(carried.map((s) => `${s.id}/${s.iface ?? '-'}`)).toEqual([
      'rps_xps/-',
      'uname/-',
      'os_release/-',
      'ethtool_i/eth0',
      'ethtool_i/eth1',
    ]);
    for (const id of ['ethtool_S', 'sysfs_net', 'softnet_stat', 'boot_id', 'uptime', 'sysctl'])
      expect(TAKEN_ONCE.has(id)).toBe(false);
  });

  it('parses them as its own: the same facts and drivers as the "before" one', () => {
    expect(after.snapshot.facts).toEqual(before.snapshot.facts);
    expect(after.snapshot.facts.kernelRelease).toBe('5.15.0-1034-azure');
    const eth0 = (s: typeof before) => s.snapshot.interfaces.find((i) => i.name === 'eth0')!;
    expect(eth0(after).driver).toBe('hv_netvsc');
    // The RPS masks a BACKLOG finding cites come from the copy.
    expect(after.snapshot.steering).toEqual(before.snapshot.steering);
    expect(after.snapshot.steering?.[0]).toMatchObject({ iface: 'eth0', rpsCpus: '2' });
    expect(eth0(after).driver).toBe(eth0(before).driver);
  });

  it('keeps copies of their output, says so, and nothing of an interface gone since', () => {
    expect(after.snapshot.takenOnce).toEqual({
      from: 'before',
      sources: [
        { id: 'rps_xps', rawPath: 'net/rps-xps.txt' },
        { id: 'uname', rawPath: 'host/uname.txt' },
        { id: 'os_release', rawPath: 'host/os-release' },
        { id: 'ethtool_i', iface: 'eth0', rawPath: 'ethtool/eth0/ethtool-i.txt' },
      ],
    });
    expect(after.snapshot.interfaces.map((i) => i.name)).toEqual(['eth0']);
    // Byte-exact copies, whose record (the manifest's source) says so; not
    // among the sources this snapshot ran.
    const uname = after.raw.find((f) => f.path === 'host/uname.txt')!;
    const first = before.raw.find((f) => f.path === 'host/uname.txt')!;
    expect(uname.bytes.equals(first.bytes)).toBe(true);
    expect(uname.record.source).toBe('not run again, copied from the before snapshot: uname -a');
    expect(uname.record.durationMs).toBeUndefined();
    const paths = after.raw.map((f) => f.path);
    expect(paths).toContain('ethtool/eth0/ethtool-i.txt');
    expect(paths).not.toContain('ethtool/eth1/ethtool-i.txt');
    expect(after.snapshot.sources.map((s) => s.id)).not.toContain('uname');
    expect(paths[paths.length - 1]).toBe(TAKEN_ONCE_PATH);
    const note = after.raw.find((f) => f.path === TAKEN_ONCE_PATH)!.bytes.toString();
    expect(note).toContain('read once, in the "before" snapshot');
    expect(note).toContain('byte-exact copy of ../before/raw/<path>');
    expect(note).toContain('uname\t-\thost/uname.txt\n');
    expect(note).toContain('ethtool_i\teth0\tethtool/eth0/ethtool-i.txt\n');
  });

  it('runs again, and keeps as its own, a source that failed the first time', () => {
    expect(after.snapshot.sources.find((s) => s.id === 'lspci')).toMatchObject({ exitCode: 1 });
    expect(after.raw.map((f) => f.path)).toContain('net/lspci-nnk.txt');
  });

  it('a snapshot with nothing carried has no list and no note', () => {
    expect(before.snapshot.takenOnce).toBeUndefined();
    expect(before.raw.map((f) => f.path)).not.toContain(TAKEN_ONCE_PATH);
  });

  it('the script runs a carried per-interface source only on the other interfaces', () => {
    const body = snapshotBody(COLLECTORS, coveredInterfaces(carried));
    const line = body.split('\n').find((l) => l.includes('sec ethtool_i '))!;
    expect(line).toMatch(/^ {2}case "\$i" in eth0\|eth1\) ;; \*\) .*sec ethtool_i .* ;; esac$/);
    expect(body.split('\n').find((l) => l.includes('sec ethtool_S '))).not.toContain('case');
    // A name is a literal pattern, whatever it holds.
    const odd = snapshotBody(COLLECTORS, new Map([['ethtool_i', new Set(['lxc*'])]]));
    expect(odd).toContain(`case "$i" in 'lxc*') ;; *)`);
  });
});
