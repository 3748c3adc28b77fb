import type { AdviceFor } from '../context.js';
import { packets } from '../numbers.js';
import { findIface, ifaceTitle, topCounters, when } from './text.js';

// OTHER, cause `port-buffer`: mlx5 rx_discards_phy (the port's if_in_discards), bnxt
// rx_discard_packets_cosN / rx_stat_discard. The NIC's port buffer overflowed before any RX
// queue: "the adapter is congested and cannot absorb the traffic coming from the network"
// (K-MLX5). The rings had buffers (rx_out_of_buffer, `missed` flat), so a longer ring does not
// help; the causes are on the port side: no flow control, a PCIe link slower than the burst,
// or bursts larger than the port buffer.
export const portBufferAdvice: AdviceFor = (ctx, g, f) => {
  const name = g.iface ?? ctx.host;
  const iface = findIface(ctx, g.iface);
  const sentences = [
    `${ifaceTitle(iface, name)} dropped at least ${packets(f.packets)} ${when(ctx, f)} in the NIC's port buffer, before any RX queue: ${topCounters(g.members)}.`,
    'The adapter could not absorb the traffic arriving from the network. The RX rings still had buffers (no ring drop counter moved), so a larger RX ring (ethtool -G) does not help.',
  ];
  if (g.members.some((o) => o.area === 'kernel')) {
    sentences.push(
      'The driver adds these port discards to the kernel rx_dropped: it is the same loss, not a second one.',
    );
  }
  if (g.support.length) {
    sentences.push(`With it: ${topCounters(g.support)}.`);
  }
  const checks = g.iface
    ? [
        `ethtool -a ${g.iface}`,
        `ethtool -S ${g.iface} | grep -E 'discard|pause|out_of_buffer|buffer_passed'`,
      ]
    : [];
  return {
    title: `${packets(f.packets)} dropped in the NIC port buffer, before the RX ring`,
    explanation: sentences.join(' '),
    mitigation: {
      summary:
        'The port side overflowed, not the ring: check flow control (ethtool -a; with RX/TX pause on, the switch holds a burst instead of the NIC dropping it), that the PCIe link runs at its full width and speed (lspci -vv, LnkSta against LnkCap), and the size of the bursts arriving; on a cloud VM the port belongs to the host: send these counters to the vendor.',
      commands: [],
      checks,
      persistent: [],
      caveats: [
        'Enabling pause frames (ethtool -A <if> rx on tx on) moves the congestion to the switch; do it only where the network is configured for flow control.',
      ],
    },
    config: [],
  };
};
