// The mitigations `repro compare` can apply, as plain data. A variant is a
// set of them; each expands, on each host it targets, into settings changed
// from their current value to a new one and always restored.

export type MitigationName = 'backlog' | 'ring' | 'rps' | 'rmem' | 'budget';

// Which host of the pair: A (the sender, first of --pair), B (the receiver).
export type HostPick = 'A' | 'B' | 'both';

export interface VariantItem {
  mitigation: MitigationName;
  // As given (`backlog=65536`); undefined takes the mitigation's default.
  value?: number;
  hosts: HostPick;
}

export interface Variant {
  // As the table and the bundle name it: `baseline`, `backlog`, `ring=4096+backlog`.
  name: string;
  items: VariantItem[];
}

// One setting on one host, changed by a variant.
export interface SettingChange {
  // The host as the operator named it (spec) and its role in the run.
  host: string;
  role: 'sender' | 'receiver';
  mitigation: MitigationName;
  // `net.core.netdev_max_backlog`, `eth0 rx ring`, `eth0 rx-0 rps_cpus`.
  setting: string;
  from: string;
  to: string;
  // How it is written when the plain path is not visible to the login's
  // network namespace: "the initial network namespace (nsenter -t 1 -n)".
  via?: string;
}
