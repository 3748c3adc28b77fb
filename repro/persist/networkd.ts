import type { CheckedPlan, RingGroup } from './checked-plan.js';
import { driverWideNotes } from './linux.js';
import type { PlatformParts } from './parts.js';
import { rollbackFile } from './rollback.js';
import { sysctlConf } from './sysctl-conf.js';
import { hashComments, MARK, relative } from './text.js';
import type { GeneratedFile } from './types.js';

// systemd .link files, applied by udev's net_setup_link builtin on every `add`
// of a device, so a re-added Azure VF gets the ring again
// (https://www.freedesktop.org/software/systemd/man/latest/systemd.link.html):
//  - [Match] Driver= matches ID_NET_DRIVER (systemd >= 211). It survives a
//    rename; OriginalName= is the kernel's ethN, which depends on probe order,
//    and the enP name of an Azure VF carries a PCI domain that can change when
//    the VF is re-added. On an Azure VM every mlx4/mlx5/mana netdev is an
//    accelerated-networking VF (the host exposes no other NIC of those
//    drivers), so Driver= alone is narrow: it never matches the synthetic
//    hv_netvsc NIC, which has the same MAC (so no MACAddress= either).
//  - [Link] RxBufferSize= is the `ethtool -G rx` ring size (systemd >= 244).
//  - Only the first .link file (in lexical order) that matches a device
//    applies: this one replaces 99-default.link for the matched NICs, so it
//    repeats 99-default.link's NamePolicy=, AlternativeNamesPolicy= and
//    MACAddressPolicy= (upstream's values); without them the VF would keep the
//    kernel's ethN name instead of enP..., and a netplan or cloud-init .link
//    that sorts after 10-dropkit stops applying to it.

function linkPath(g: RingGroup): string {
  return `/etc/systemd/network/10-dropkit-${g.driver}.link`;
}

function linkFile(g: RingGroup): GeneratedFile {
  const path = linkPath(g);
  const ifaces = g.fixes.map((f) => f.iface);
  const content = `${hashComments([
    `${MARK}: RX ring ${g.value} on every ${g.driver} NIC${g.azureVf ? ' (Azure accelerated-networking VF)' : ''}, at every add.`,
    `Remove it with rollback.sh, or by hand: rm ${path}.`,
    'Driver= survives the rename of a re-added VF; the policies below are those of 99-default.link,',
    'which this file replaces for the NICs it matches.',
  ])}
[Match]
Driver=${g.driver}

[Link]
NamePolicy=keep kernel database onboard slot path
AlternativeNamesPolicy=database onboard slot path
MACAddressPolicy=persistent
RxBufferSize=${g.value}
`;
  return {
    path: relative(path),
    installTo: path,
    content,
    what: `sets the RX ring of every ${g.driver} NIC to ${g.value} whenever it is added (systemd >= 244)`,
    apply: [
      `install -m 0644 ${relative(path)} ${path}`,
      'udevadm control --reload',
      ...ifaces.map(
        (i) => `udevadm test-builtin net_setup_link /sys/class/net/${i}   # must name ${path}`,
      ),
      ...ifaces.map(
        (i) => `ethtool -G ${i} rx ${g.value}   # now; the .link applies at the next add`,
      ),
    ],
    rollback: ['sh rollback.sh'],
  };
}

export function networkd(plan: CheckedPlan): PlatformParts {
  const files: GeneratedFile[] = [];
  if (plan.sysctls.length) files.push(sysctlConf(plan));
  files.push(...plan.rings.map(linkFile));
  const installed = files.map((f) => f.installTo!);
  files.push(
    rollbackFile(plan, {
      files: installed,
      after: plan.rings.length ? ['udevadm control --reload || true'] : [],
    }),
  );
  const notes = plan.rings.length
    ? [
        ...driverWideNotes(plan),
        'RxBufferSize= needs systemd 244 or later (Ubuntu 20.04+, Debian 11+, RHEL 9, Azure Linux 2); older systemd ignores the key with a warning and the ring is not set: use the linux platform there.',
        'Only the first matching .link file applies. If a NIC already had one other than 99-default.link (check `udevadm info /sys/class/net/IFACE | grep ID_NET_LINK_FILE` before installing), put RxBufferSize= in a drop-in of that file (`<file>.link.d/dropkit.conf`) instead.',
        'The Name/MAC policies repeat upstream’s 99-default.link; if /usr/lib/systemd/network/99-default.link differs on your distribution, copy its values.',
      ]
    : [];
  return {
    title: 'dropkit persistent fixes: systemd-networkd / systemd-udevd (.link)',
    intro: [
      'The .link file is applied by systemd-udevd whether or not systemd-networkd manages the NIC, so it also covers an Azure VF that no network manager configures.',
    ],
    files,
    notes,
    problems: [],
  };
}
