import type { FixPlan, PlatformOutput } from '../../../repro/persist/types.js';

// The seed's case (docs/DESIGN.md): an Azure mlx5 VF at 1024 of 8192, and a
// backlog of 1000 that needed 32768.
export const SEED: FixPlan = {
  ring: [
    {
      host: 'aks-nodepool1-12345678-vmss000000',
      iface: 'enP42266s1',
      driver: 'mlx5_core',
      azureVf: true,
      current: 1024,
      max: 8192,
    },
  ],
  sysctls: [
    {
      name: 'net.core.netdev_max_backlog',
      current: 1000,
      target: 32768,
      because: 'BACKLOG: softnet dropped 6,218 on cpu1',
    },
  ],
};

export const ENA: FixPlan = {
  ring: [
    {
      host: 'ip-10-0-1-5',
      iface: 'ens5',
      driver: 'ena',
      azureVf: false,
      current: 1024,
      max: 16384,
      wanted: 10000,
    },
  ],
  sysctls: [],
};

export const GVE: FixPlan = {
  ring: [
    {
      host: 'gke-pool-1-abcd',
      iface: 'ens4',
      driver: 'gve',
      azureVf: false,
      current: 1024,
      max: 4096,
    },
  ],
  sysctls: [
    { name: 'net.core.netdev_max_backlog', current: 1000, target: 32768, because: 'BACKLOG' },
    {
      name: 'net.ipv4.tcp_max_syn_backlog',
      current: 4096,
      target: 16384,
      because: 'SOCKET: SYN drops',
    },
  ],
};

export function file(out: PlatformOutput, path: string): string {
  const f = out.files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} in ${out.files.map((x) => x.path).join(', ')}`);
  return f.content;
}
