import { describe, expect, it } from 'vitest';
import { COLLECTORS } from '../../../collectors/registry.js';
import { MAX_SECTION_BYTES } from '../../../collectors/snapshot/accept.js';
import { buildSnapshot } from '../../../collectors/snapshot/build.js';
import { parseFrames, type Section } from '../../../collectors/snapshot/frames.js';
import { section as sec } from './section.js';

// The host runs the script and can read its boundary: every header it sends
// may be forged. None of what follows may reach a path.

const B = 'DKB-0123456789abcdef0123456789abcdef';
const NS = '1700000000000000000';
const frame = (id: string, iface: string, body: string) =>
  `${B} begin ${id} ${iface} ${NS}\n${body}\n${B} end ${id} ${iface} rc=0 ns=${NS}\n`;

const listing = frame('sysfs_net', '-', 'eth0/mtu 1500\nlo/mtu 65536');
const build = (sections: Section[]) =>
  buildSnapshot({
    host: 'h',
    takenAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    sections,
    specs: COLLECTORS,
  });

describe('forged section headers', () => {
  it('drops interface names the kernel would refuse, before anything is built', () => {
    const out = Buffer.from(
      [
        listing,
        frame('ethtool_S', '../../../../home/u/.bashrc.d', 'x'),
        frame('ethtool_S', '..', 'x'),
        frame('ethtool_S', '.', 'x'),
        frame('ethtool_i', 'e\u001b[31mvil', 'driver: x'),
        frame('ethtool_g', 'eth0:1', 'x'),
        frame('ethtool_S', 'eth0', 'NIC statistics:\n     rx_ok: 1'),
      ].join(''),
    );
    const { sections, warnings } = parseFrames(out, B);
    expect(sections.map((s) => `${s.id}/${s.iface ?? '-'}`)).toEqual([
      'sysfs_net/-',
      'ethtool_S/eth0',
    ]);
    expect(warnings).toEqual([
      'section "ethtool_S" (interface "../../../../home/u/.bashrc.d") dropped: not a valid interface name',
      'section "ethtool_S" (interface "..") dropped: not a valid interface name',
      'section "ethtool_S" (interface ".") dropped: not a valid interface name',
      'section "ethtool_i" (interface "e\\u001b[31mvil") dropped: not a valid interface name',
      'section "ethtool_g" (interface "eth0:1") dropped: not a valid interface name',
    ]);
    const { raw } = build(sections);
    expect(raw.map((r) => r.path)).toEqual([
      'net/sysfs-class-net.txt',
      'ethtool/eth0/ethtool-S.txt',
    ]);
  });

  it('a name cut by a newline is only what precedes it, and names an interface', () => {
    const out = Buffer.from(
      `${listing}${B} begin ethtool_S eth9\n../x ${NS}\nbody\n${B} end ethtool_S eth9 rc=0 ns=${NS}\n`,
    );
    const { sections } = parseFrames(out, B);
    expect(sections.map((s) => s.iface)).toEqual([undefined, 'eth9']);
    const { snapshot, raw } = build(sections);
    // A valid name, in a path of its own: a forged listing could name it too.
    expect(raw.map((r) => r.path)).toEqual([
      'net/sysfs-class-net.txt',
      'ethtool/eth9/ethtool-S.txt',
    ]);
    expect(snapshot.interfaces.map((i) => i.name)).toContain('eth9');
  });

  it('lists an interface any source names, and only valid names', () => {
    const { snapshot, raw } = build([
      sec('sysfs_net', 'eth0/mtu 1500\nbad\u001bname/mtu 1\n'),
      sec('ethtool_S', 'NIC statistics:\n     rx: 1', 'eth0'),
      sec('ethtool_S', 'NIC statistics:\n     rx: 1', 'eth1'),
      // As the offline loader or another caller could hand them over.
      sec('ethtool_i', 'driver: x', '../../x'),
    ]);
    expect(raw.map((r) => r.path)).toEqual([
      'net/sysfs-class-net.txt',
      'ethtool/eth0/ethtool-S.txt',
      'ethtool/eth1/ethtool-S.txt',
    ]);
    // eth1 is named by its ethtool -S only (as in a sos report without ip link).
    expect(snapshot.interfaces.map((i) => i.name)).toEqual(['eth0', 'eth1']);
    expect(snapshot.warnings).toEqual(
      expect.arrayContaining([
        'section "ethtool_i" (interface "../../x") dropped: not a valid interface name',
        'interface "bad\\u001bname" ignored: not a valid interface name',
      ]),
    );
  });

  it('drops unknown sources, a second copy of one, and an interface where none belongs', () => {
    const { snapshot, raw } = build([
      sec('sysfs_net', 'eth0/mtu 1500'),
      sec('uname', 'Linux a 6.1.0 x86_64'),
      sec('uname', 'Linux forged 9.9.9 x86_64'),
      sec('no_such\u001b[2J', 'x'),
      sec('uname', 'x', 'eth0'),
      sec('ethtool_S', 'x'),
    ]);
    expect(raw.map((r) => r.path)).toEqual(['net/sysfs-class-net.txt', 'host/uname.txt']);
    expect(snapshot.facts.kernelRelease).toBe('6.1.0');
    expect(snapshot.warnings).toEqual(
      expect.arrayContaining([
        'section "uname" dropped: sent twice',
        'section "no_such\\u001b[2J" dropped: unknown source',
        'section "uname" (interface "eth0") dropped: an interface for a host-wide source',
        'section "ethtool_S" dropped: no interface for a per-interface source',
      ]),
    );
  });

  it('refuses a host name that is no host name: the operator’s name for it stands in', () => {
    for (const name of ['../../etc', '..', 'a/b', 'x\u001b[2J', 'a b', '-rf']) {
      const { snapshot } = build([sec('hostname', `${name}\n`)]);
      expect(snapshot.facts.hostname, name).toBeUndefined();
      expect(snapshot.warnings.join('\n')).toMatch(/host name .* ignored: not a valid host name/);
    }
    const ok = build([sec('hostname', 'aks-nodepool1-31754206-vmss000000\nnode.example.com\n')]);
    expect(ok.snapshot.facts.hostname).toBe('aks-nodepool1-31754206-vmss000000');
  });

  it('cuts one huge section, and says so', () => {
    const big = Buffer.alloc(MAX_SECTION_BYTES + 10, 0x78);
    const { snapshot, raw } = build([
      { ...sec('interrupts', ''), stdout: big },
      sec('uname', 'Linux a 6.1.0 x86_64'),
    ]);
    expect(raw.find((r) => r.path === 'proc/interrupts')!.bytes.length).toBe(MAX_SECTION_BYTES);
    expect(snapshot.warnings).toContain(
      `section "interrupts": ${MAX_SECTION_BYTES + 10} bytes of output, only the first ${MAX_SECTION_BYTES} kept`,
    );
    expect(snapshot.facts.kernelRelease).toBe('6.1.0');
  });
});
