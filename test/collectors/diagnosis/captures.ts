import { fixture } from '../fixture-files.js';
import type { IfaceSpec } from './snapshot-builder.js';

// The real captures the scenarios are built from (test/fixtures/SOURCES.md), plus the few
// lines no capture has, each with the reason it is written by hand.

export const ENA_ETHTOOL_S = fixture('ethtool_S/ethq-test-ena.txt');
export const ENA_ETHTOOL_G = fixture('ethtool_g/ena-aws-ens5-tabs-na.txt');
export const ENA_ETHTOOL_I = fixture('ethtool_i/ena-aws-t3.micro-2.5.0g.txt');
export const ENA_IP_LINK = fixture(
  'ip_link/ip-s-s-link-eth0-aws-ena-ubuntu20-iproute2-5.5-missed-in-errors-row.txt',
);
export const MLX5_ETHTOOL_S = fixture('ethtool_S/ethq-test-mlx5_core.txt');
export const MLX5_ETHTOOL_I = fixture('ethtool_i/mlx5_core-connectx4-ubuntu18.04-4.15-fw14.23.txt');
export const MANA_ETHTOOL_S = fixture(
  'ethtool_S/mana-azure-per-queue-partial-before-affinity-change.txt',
);
export const NETVSC_ETHTOOL_S = fixture('ethtool_S/hv_netvsc-wsl2-5.10.102.1-microsoft-elided.txt');
export const NETVSC_ETHTOOL_G = fixture('ethtool_g/hv_netvsc-wsl2-5.10.102.1-microsoft.txt');
export const NETVSC_ETHTOOL_I = fixture('ethtool_i/hv_netvsc-wsl2-5.10.102.1-microsoft.txt');
export const NETVSC_ETHTOOL_L = fixture('ethtool_l/hv_netvsc-wsl2-5.10.102.1-microsoft.txt');
export const VETH_ETHTOOL_S = fixture(
  'ethtool_S/veth-docker-container-ubuntu20-xdp-queue-stats.txt',
);
export const CILIUM_IP_LINK = fixture('ip_link/ip-s-s-d-link-proxmox-virtio-cilium-node.txt');
// That node's NIC, as a snapshot's interface.
export const CILIUM_NIC: IfaceSpec = {
  name: 'ens18',
  kind: 'physical',
  driver: 'virtio_net',
  ipLink: { text: CILIUM_IP_LINK, name: 'ens18' },
};
export const SOFTNET_2CPU = fixture('softnet_stat/hjr3-softnet-stat-kernel-5_10_47.txt');
export const SOFTNET_4CPU_SQUEEZE = fixture(
  'softnet_stat/blog-4cpu-11col-time_squeeze-nonzero.txt',
);

// No mlx5 `ethtool -g` capture exists in test/fixtures: this block has ethtool's exact layout
// and the numbers of the reference case (DESIGN.md: "1024 of 8192 descriptors in use").
export const MLX5_VF_ETHTOOL_G = `Ring parameters for enP1s1:
Pre-set maximums:
RX:		8192
RX Mini:	n/a
RX Jumbo:	n/a
TX:		8192
Current hardware settings:
RX:		1024
RX Mini:	n/a
RX Jumbo:	n/a
TX:		1024
`;

// The ethq ENA capture predates the ENI allowance counters (COUNTERS.md: "old drivers ... lack
// them entirely"); a newer driver prints them after the globals, as here.
export function enaWithAllowances(pps = 0n): string {
  return `${ENA_ETHTOOL_S.trimEnd()}
bw_in_allowance_exceeded: 0
bw_out_allowance_exceeded: 0
pps_allowance_exceeded: ${pps}
conntrack_allowance_exceeded: 0
linklocal_allowance_exceeded: 0
conntrack_allowance_available: 136812
`;
}

// The mana capture is from before `hc_rx_discards_no_wqe` existed (SOURCES.md: "before the
// hc_rx_discards_no_wqe naming"); kernels since the Nov-2023 GDMA patch print it among the
// hc_rx_* counters (COUNTERS.md, K-MANA). Appended in both snapshots so it has a delta.
export const MANA_WITH_NO_WQE = `${MANA_ETHTOOL_S.trimEnd()}
     hc_rx_discards_no_wqe: 0
`;

// `sysctl -a` lines for the settings the mitigations read. netdev_max_backlog=10 is the lab's
// shrunken backlog (DESIGN.md); the rest are kernel defaults.
export const SYSCTL_LAB = `net.core.netdev_max_backlog = 10
net.core.netdev_budget = 300
net.core.netdev_budget_usecs = 2000
net.core.rmem_max = 212992
net.core.rmem_default = 212992
net.ipv4.tcp_rmem = 4096	131072	6291456
`;

// /proc/net/snmp Udp lines in the kernel's layout (no capture of it in test/fixtures).
export const PROC_NET_SNMP_UDP = `Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
Udp: 48211930 17 0 1204 0 0 0 3114 0
`;

// bnxt_en (Broadcom), a real ethq capture: per-ring keys print as `[3]: rx_discards`.
export const BNXT_ETHTOOL_S = fixture('ethtool_S/ethq-test-bnxt_en.txt');

// /proc/net/snmp and /proc/net/netstat of one Debian 12 VM (kernel 6.18); the snapshot keeps
// both files' groups in one map, as the registry does.
export const PROC_NET_SNMP_DEBIAN = fixture('proc_net_snmp/debian12-6.18-snmp.txt');
export const PROC_NET_NETSTAT_DEBIAN = fixture('proc_net_snmp/debian12-6.18-netstat.txt');
