// The input and output of the persistent-fix generators. The caller builds a
// FixPlan from a bundle's findings; generate() turns it into files, per
// platform, without touching any host or disk.

export const PLATFORMS = [
  'linux',
  'networkd',
  'networkmanager',
  'tuned',
  'aks',
  'eks',
  'gke',
] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface RingFix {
  host: string; // as the bundle names it
  iface: string; // current name, e.g. enP42266s1
  driver?: string; // mlx5_core, mana, ena, gve, ixgbevf, virtio_net, hv_netvsc ...
  azureVf: boolean; // an Azure accelerated-networking VF (mlx4/mlx5/mana under hv_pci)
  current: number; // current RX ring size (ethtool -g "Current hardware settings" RX)
  max: number; // preset maximum (ethtool -g "Pre-set maximums" RX)
  wanted?: number; // what the operator asked for; default: max
}

export interface SysctlFix {
  name:
    | 'net.core.netdev_max_backlog'
    | 'net.core.somaxconn'
    | 'net.ipv4.tcp_max_syn_backlog'
    | 'net.core.rmem_max'
    | 'net.core.rmem_default';
  current?: number;
  target: number;
  because: string; // e.g. "BACKLOG: softnet dropped 6,218 on cpu1"
}

export interface FixPlan {
  ring: RingFix[];
  sysctls: SysctlFix[];
}

export interface GeneratedFile {
  path: string; // relative to the output directory
  content: string;
  installTo?: string; // absolute path on the host, for files installed as-is
  what: string; // one line: what it does
  // Optional extras for the README and the CLI: the commands that apply the
  // file and that undo it, and whether it is a script to run.
  apply?: string[];
  rollback?: string[];
  executable?: boolean;
}

export interface PlatformOutput {
  files: GeneratedFile[]; // includes README.md and the rollback file(s)
  notes: string[];
  problems: string[]; // fixes this platform cannot express (say why)
}
