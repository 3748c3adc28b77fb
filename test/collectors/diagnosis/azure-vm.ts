import type { Snapshot } from '../../../collectors/model.js';
import {
  ENA_IP_LINK,
  MLX5_ETHTOOL_I,
  MLX5_ETHTOOL_S,
  MLX5_VF_ETHTOOL_G,
  NETVSC_ETHTOOL_G,
  NETVSC_ETHTOOL_I,
  NETVSC_ETHTOOL_L,
  NETVSC_ETHTOOL_S,
  SOFTNET_2CPU,
  SYSCTL_LAB,
} from './captures.js';
import { type IfaceSpec, snapshotFrom } from './snapshot-builder.js';

export const T0 = '2024-05-01T10:00:00.000Z';

// No capture of an Azure VM's `ip -s link` is in test/fixtures: every interface borrows the
// kernel counters of the ENA eth0 capture (a cloud NIC at rest, all drop counters 0).
const kernelAtRest = { text: ENA_IP_LINK, name: 'eth0' };

export const SYNTHETIC: IfaceSpec = {
  name: 'eth0',
  kind: 'physical',
  ethtoolI: NETVSC_ETHTOOL_I,
  ethtoolS: NETVSC_ETHTOOL_S,
  ethtoolG: NETVSC_ETHTOOL_G,
  ethtoolL: NETVSC_ETHTOOL_L,
  ipLink: kernelAtRest,
  acceleratedNetworking: { role: 'synthetic', peer: 'enP1s1' },
};

// The ethq mlx5 capture is a ConnectX-4 PF; an Azure VF prints the same driver counters minus
// the *_phy/rx_prio* ones (K-MLX5), which stay 0 here and do not matter.
export const MLX5_VF: IfaceSpec = {
  name: 'enP1s1',
  kind: 'sriov-vf',
  ethtoolI: MLX5_ETHTOOL_I,
  ethtoolS: MLX5_ETHTOOL_S,
  ethtoolG: MLX5_VF_ETHTOOL_G,
  ipLink: kernelAtRest,
  master: 'eth0',
  acceleratedNetworking: { role: 'vf', peer: 'eth0' },
};

export function azureVm(host: string, ifaces: IfaceSpec[]): Snapshot {
  return snapshotFrom({ host, takenAt: T0, ifaces, softnet: SOFTNET_2CPU, sysctl: SYSCTL_LAB });
}
