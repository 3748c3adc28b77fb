import type { InterfaceSnapshot } from '../../model.js';
import { anPairOf, vfCarriedTraffic } from '../azure.js';
import type { AdviceFor } from '../context.js';
import type { Mitigation } from '../finding.js';
import { packets } from '../numbers.js';
import { findIface, ifaceTitle, topCounters, UDEV_FILE, udevRule, when } from './text.js';
import { stallAdvice } from './txq-stall.js';

// TXQ: a transmit queue or ring was full and the packet was dropped (hv_netvsc tx_no_space,
// mlx5 tx_discards_phy) or, alone and ambiguous, the kernel's tx_dropped.
export const txqAdvice: AdviceFor = (ctx, g, f) => {
  const name = g.iface ?? ctx.host;
  const iface = findIface(ctx, g.iface);
  // The TX watchdog fired: a stalled queue, not a full one.
  if (g.members.some((o) => o.rule.kind === 'stall')) return stallAdvice(ctx, g, f, iface);
  const sentences = [
    `${ifaceTitle(iface, name)} dropped at least ${packets(f.packets)} on transmit ${when(ctx, f)}: ${topCounters(g.members)}.`,
  ];
  const an = g.iface ? anPairOf(ctx.after, g.iface) : undefined;
  if (an?.role === 'synthetic') {
    const vfUsed = vfCarriedTraffic(ctx.delta, an.synthetic);
    sentences.push(
      `The loss is on the synthetic hv_netvsc path (the VMBus channel to the host), not on the VF ${an.vf}${vfUsed === false ? '; the VF carried no traffic in this run, so check that accelerated networking is active' : ''}.`,
    );
  } else if (an?.role === 'vf') {
    sentences.push(
      `The loss is on the VF side: ${name} is the accelerated-networking VF of ${an.synthetic}.`,
    );
  }
  if (g.ambiguousOnly) sentences.push('tx_dropped alone does not say which queue was full.');
  return {
    title: `${packets(f.packets)} dropped on transmit: TX queue full`,
    explanation: sentences.join(' '),
    mitigation: iface ? txqMitigation(iface) : inspect(name),
    config: [],
  };
};

function txqMitigation(iface: InterfaceSnapshot): Mitigation {
  const ch = iface.channels;
  const moreChannels =
    ch?.current.combined != null && ch.max.combined != null && ch.current.combined < ch.max.combined
      ? ch.max.combined
      : undefined;
  const ring = iface.ring;
  // hv_netvsc's ethtool -G sizes the send *buffer* (tx_send_full), not the VMBus ring that
  // tx_no_space reports; more channels means more VMBus rings.
  const netvsc = iface.driver === 'hv_netvsc';
  const longerRing =
    !netvsc && ring?.tx != null && ring.txMax != null && ring.tx < ring.txMax
      ? ring.txMax
      : undefined;
  const caveats = netvsc
    ? [
        'The VMBus ring size itself is the hv_netvsc module parameter ring_size (4 KiB pages); changing it needs a module reload or reboot.',
      ]
    : [];
  if (longerRing !== undefined) {
    return {
      summary: `Raise the TX ring of ${iface.name} from ${ring?.tx} to its preset maximum ${longerRing}.`,
      commands: [`ethtool -G ${iface.name} tx ${longerRing}`],
      persistent: [udevRule(iface, `-G {if} tx ${longerRing}`)],
      persistentPath: UDEV_FILE,
      caveats,
    };
  }
  if (moreChannels !== undefined) {
    return {
      summary: `Spread transmit over more queues: ${iface.name} uses ${ch?.current.combined} of ${moreChannels} channels.`,
      commands: [`ethtool -L ${iface.name} combined ${moreChannels}`],
      persistent: [udevRule(iface, `-L {if} combined ${moreChannels}`)],
      persistentPath: UDEV_FILE,
      caveats,
    };
  }
  return { ...inspect(iface.name), caveats };
}

function inspect(name: string): Mitigation {
  return {
    summary: `Check the TX ring and channel limits of ${name} (ethtool -g / -l) and the sender's burst size.`,
    commands: [],
    checks: [`ethtool -g ${name}`, `ethtool -l ${name}`],
    persistent: [],
  };
}
