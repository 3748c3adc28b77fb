import { describe, expect, it } from 'vitest';
import { generate } from '../../../repro/persist/generate.js';
import { ENA, file, SEED } from './plans.js';

describe('linux', () => {
  const out = generate('linux', SEED);

  it('writes a udev rule that matches the VF by driver on add and sets rx 8192', () => {
    const rule = file(out, 'etc/udev/rules.d/90-dropkit-ring.rules');
    const line = rule.split('\n').find((l) => !l.startsWith('#') && l.trim())!;
    expect(line).toContain('ACTION=="add"');
    expect(line).toContain('SUBSYSTEM=="net"');
    expect(line).toMatch(
      /DRIVERS=="hv_pci"|DRIVERS=="mlx5_core"|ENV\{ID_NET_DRIVER\}=="mlx5_core"/,
    );
    expect(line).toContain('RUN+="/sbin/ethtool -G $name rx 8192"');
    // Never the name it has now, and never two DRIVERS== (udev(7): one parent per rule).
    expect(line).not.toContain('enP42266s1');
    expect(line.match(/DRIVERS==/g)?.length).toBe(1);
  });

  it('writes the backlog into sysctl.d under a dropkit header', () => {
    const conf = file(out, 'etc/sysctl.d/90-dropkit.conf');
    expect(conf.split('\n')[0]).toContain('Written by dropkit');
    expect(conf).toMatch(/^net\.core\.netdev_max_backlog = 32768$/m);
    expect(out.files.find((f) => f.path === 'etc/sysctl.d/90-dropkit.conf')?.installTo).toBe(
      '/etc/sysctl.d/90-dropkit.conf',
    );
  });

  it('rolls back the recorded values', () => {
    const sh = file(out, 'rollback.sh');
    expect(sh).toContain('set -eu');
    expect(sh).toContain('remove_ours /etc/sysctl.d/90-dropkit.conf');
    expect(sh).toContain('remove_ours /etc/udev/rules.d/90-dropkit-ring.rules');
    expect(sh).toContain('sysctl -w net.core.netdev_max_backlog=1000');
    expect(sh).toMatch(/-G "\$\{dev##\*\/\}" rx 1024/);
  });

  it('matches a non-Azure NIC by its driver and says the rule covers every NIC of it', () => {
    const ena = generate('linux', ENA);
    const rule = file(ena, 'etc/udev/rules.d/90-dropkit-ring.rules');
    expect(rule).toContain(
      'ACTION=="add", SUBSYSTEM=="net", DRIVERS=="ena", RUN+="/sbin/ethtool -G $name rx 8192"',
    );
    expect(file(ena, 'README.md')).toContain('every NIC of the ena driver');
    expect(ena.notes.join(' ')).toContain('powers of two');
  });

  it('writes a README that covers every file', () => {
    const md = file(out, 'README.md');
    for (const f of out.files.filter((x) => x.path !== 'README.md')) expect(md).toContain(f.path);
    expect(md).toContain('Roll back');
  });
});

describe('networkd', () => {
  const out = generate('networkd', SEED);
  const link = file(out, 'etc/systemd/network/10-dropkit-mlx5_core.link');

  it('writes a .link with RxBufferSize=8192 and a narrow [Match]', () => {
    expect(link).toMatch(/^RxBufferSize=8192$/m);
    const match = link.slice(link.indexOf('[Match]'), link.indexOf('[Link]'));
    expect(match).toMatch(/^Driver=mlx5_core$/m);
    expect(match).not.toMatch(/OriginalName=\*/);
    expect(match).not.toContain('enP42266s1');
  });

  it('keeps 99-default.link’s policies, which it replaces for the matched NICs', () => {
    expect(link).toMatch(/^NamePolicy=/m);
    expect(link).toMatch(/^MACAddressPolicy=/m);
    expect(out.notes.join(' ')).toContain('systemd 244');
  });

  it('also writes the sysctl.d file and a rollback', () => {
    expect(file(out, 'etc/sysctl.d/90-dropkit.conf')).toContain(
      'net.core.netdev_max_backlog = 32768',
    );
    expect(file(out, 'rollback.sh')).toContain(
      'remove_ours /etc/systemd/network/10-dropkit-mlx5_core.link',
    );
  });
});

describe('networkmanager', () => {
  it('cannot reach an Azure VF and says so', () => {
    const out = generate('networkmanager', SEED);
    expect(out.problems.join(' ')).toContain('unmanaged');
    expect(out.files.map((f) => f.path)).not.toContain('nm-ring.sh');
    expect(file(out, 'etc/sysctl.d/90-dropkit.conf')).toContain('32768');
  });

  it('saves ethtool.ring-rx in the connection of a managed NIC', () => {
    const out = generate('networkmanager', ENA);
    const sh = file(out, 'nm-ring.sh');
    expect(sh).toContain('nmcli connection modify "$con" ethtool.ring-rx "$2"');
    expect(sh).toMatch(/^ring ens5 8192$/m);
    expect(file(out, 'rollback.sh')).toMatch(/^unring ens5 1024$/m);
  });
});

describe('tuned', () => {
  const out = generate('tuned', SEED);
  const conf = file(out, 'etc/tuned/dropkit/tuned.conf');

  it('writes a profile with an include, a net unit with ring=rx and the sysctls', () => {
    expect(conf).toMatch(/^\[main\]$/m);
    expect(conf).toMatch(/^include=\S+$/m);
    expect(conf).toMatch(/^type=net$/m);
    expect(conf).toMatch(/^ring=rx 8192$/m);
    expect(conf).toMatch(/^devices_udev_regex=\^ID_NET_DRIVER=mlx5_core\$$/m);
    expect(conf).toMatch(/^\[sysctl\]\n(#.*\n)?net\.core\.netdev_max_backlog=32768$/m);
  });

  it('names a non-Azure NIC by its interface', () => {
    expect(file(generate('tuned', ENA), 'etc/tuned/dropkit/tuned.conf')).toMatch(/^devices=ens5$/m);
  });

  it('activates with tuned-adm and rolls back to the previous profile', () => {
    const f = out.files.find((x) => x.path === 'etc/tuned/dropkit/tuned.conf')!;
    expect(f.apply).toContain('tuned-adm profile dropkit');
    expect(file(out, 'rollback.sh')).toContain('tuned-adm profile "$prev"');
  });
});
