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

// The VF's share of what the synthetic interface received during the run: hv_netvsc's
// vf_rx_packets (every packet the VF handed up through netvsc_vf_handle_frame) over the
// interface's own rx_packets, which counts the VF's packets too (netvsc_get_stats64 adds the
// VF totals, since the VF is managed in the driver, 4.14). Near 1: the traffic took the VF, its
// counters are the ones that count the loss. Near 0: the traffic took the synthetic path
// (accelerated networking off, the VF removed, or the data path switched from it).
export interface VfRxShare {
  vfRxPackets: bigint;
  rxPackets: bigint;
  // null when the interface received nothing.
  share: number | null;
  // A counter went backwards (the interface was re-created): the counts are since the reset.
  reset: boolean;
}

export function vfRxShare(
  delta: SnapshotDelta | undefined,
  synthetic: string,
): VfRxShare | undefined {
  const d = delta?.interfaces.find((i) => i.name === synthetic && i.presence === undefined);
  const vf = d?.ethtool ? getOwn(d.ethtool.deltas, 'vf_rx_packets') : undefined;
  const rx = d ? getOwn(d.kernel.deltas, 'rx_packets') : undefined;
  if (!vf || !rx) return undefined;
  return {
    vfRxPackets: vf.delta,
    rxPackets: rx.delta,
    share: rx.delta > 0n ? Number(vf.delta) / Number(rx.delta) : null,
    reset: vf.reset || rx.reset,
  };
}

// `97.3%`, `0.0%`, `99.99%`: the share in words, for findings and summaries. Never `100.0%`
// unless it is all of them: a few packets on the synthetic path are worth seeing.
export function sharePercent(s: VfRxShare): string {
  if (s.share === null) return 'no packets';
  const p = s.share * 100;
  if (p >= 99.95 && p < 100) return `${(Math.floor(p * 100) / 100).toFixed(2)}%`;
  return `${p.toFixed(1)}%`;
}
