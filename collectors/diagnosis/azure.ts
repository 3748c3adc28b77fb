import type { InterfaceSnapshot, Snapshot } from '../model.js';
import { getOwn } from '../own-record.js';
import type { SnapshotDelta } from '../snapshot-delta.js';

// Azure accelerated networking: the synthetic hv_netvsc interface (eth0) and the SR-IOV VF
// (enP*, mlx5_core or mana) enslaved to it. Traffic takes the VF when it is present; the
// synthetic path is the fallback. Where the loss happens decides where the fix goes.
export interface AnPair {
  role: 'synthetic' | 'vf';
  synthetic: string;
  vf: string;
  vfDriver?: string;
}

export function anPairOf(snapshot: Snapshot, name: string): AnPair | undefined {
  const byName = (n: string): InterfaceSnapshot | undefined =>
    snapshot.interfaces.find((i) => i.name === n);
  const iface = byName(name);
  if (!iface) return undefined;
  let synthetic: string | undefined;
  let vf: string | undefined;
  const an = iface.acceleratedNetworking;
  if (an) [synthetic, vf] = an.role === 'vf' ? [an.peer, name] : [name, an.peer];
  // Snapshots without the flag: a VF is enslaved to an hv_netvsc master.
  else if (iface.master && byName(iface.master)?.driver === 'hv_netvsc') {
    [synthetic, vf] = [iface.master, name];
  } else if (iface.driver === 'hv_netvsc') {
    [synthetic, vf] = [name, snapshot.interfaces.find((i) => i.master === name)?.name];
  }
  if (synthetic === undefined || vf === undefined) return undefined;
  const vfDriver = byName(vf)?.driver;
  return {
    role: vf === name ? 'vf' : 'synthetic',
    synthetic,
    vf,
    ...(vfDriver === undefined ? {} : { vfDriver }),
  };
}

// Did the VF carry traffic during the run? hv_netvsc counts it as vf_rx/tx_packets
// (COUNTERS.md, K-NETVSC). Undefined when the synthetic interface has no such counters.
export function vfCarriedTraffic(delta: SnapshotDelta | undefined, synthetic: string) {
  const d = delta?.interfaces.find((i) => i.name === synthetic)?.ethtool?.deltas;
  if (!d) return undefined;
  const moved = ['vf_rx_packets', 'vf_tx_packets'].map((k) => getOwn(d, k));
  if (moved.every((m) => m === undefined)) return undefined;
  return moved.some((m) => m !== undefined && m.delta > 0n);
}
