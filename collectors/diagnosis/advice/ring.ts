import { isAzureVfName } from '../../model.js';
import { anPairOf, sharePercent, vfRxShare } from '../azure.js';
import type { AdviceFor } from '../context.js';
import type { Mitigation } from '../finding.js';
import { count, packets } from '../numbers.js';
import {
  configEvidence,
  findIface,
  ifaceTitle,
  topCounters,
  UDEV_FILE,
  udevRule,
  when,
} from './text.js';

// RING: the NIC found no posted RX buffer (DESIGN.md, the first cause). The fix is a longer
// ring, up to the preset maximum `ethtool -g` reports, on the interface whose counters moved:
// with accelerated networking that is the VF, never the synthetic hv_netvsc interface.
export const ringAdvice: AdviceFor = (ctx, g, f) => {
  const name = g.iface;
  const iface = findIface(ctx, name);
  if (name === undefined || iface === undefined) return softwareRingAdvice(ctx, g, f);
  const ring = iface.ring;
  const size = ring?.rx != null && ring.rxMax != null ? ` (ring ${ring.rx}/${ring.rxMax})` : '';
  const sentences = [
    `${ifaceTitle(iface, name)} dropped at least ${packets(f.packets)} ${when(ctx, f)} because its RX ring had no free buffer: ${topCounters(g.members)}.`,
  ];
  if (ring?.rx != null && ring.rxMax != null) {
    sentences.push(
      ring.rx < ring.rxMax
        ? `The ring holds ${ring.rx} of a possible ${ring.rxMax} descriptors.`
        : `The ring is already at its maximum of ${ring.rxMax} descriptors.`,
    );
  }
  const port = g.members.filter((o) => o.rule.joins === 'RING');
  if (port.length) {
    sentences.push(
      `The port buffer overflowed too, before the ring (${topCounters(port)}): a longer ring helps the ring part only; see flow control and the PCIe link for the rest.`,
    );
  }
  const an = anPairOf(ctx.after, name);
  if (an?.role === 'vf') {
    sentences.push(
      `The loss is on the VF side: ${name} is the accelerated-networking VF of ${an.synthetic}, so the fix goes on ${name}, not on the synthetic ${an.synthetic}.`,
    );
    // How much of the traffic took the VF: the drops are read against it.
    const share = vfRxShare(ctx.delta, an.synthetic);
    if (share && share.share !== null)
      sentences.push(
        `${name} carried ${sharePercent(share)} of the packets ${an.synthetic} received during the run (${an.synthetic} vf_rx_packets ${count(share.vfRxPackets)} of rx_packets ${count(share.rxPackets)}).`,
      );
  } else if (an?.role === 'synthetic') {
    sentences.push(
      `The loss is on the synthetic hv_netvsc path of ${name}, not on its VF ${an.vf}.`,
    );
  }
  const config =
    ring?.rx != null
      ? [configEvidence(`${name} rx ring`, `${ring.rx} of ${ring.rxMax ?? '?'}`)]
      : [];
  return {
    title: `${packets(f.packets)} dropped: RX ring full${size}`,
    explanation: sentences.join(' '),
    mitigation: ringMitigation(name, iface),
    config,
  };
};

function ringMitigation(
  name: string,
  iface: NonNullable<ReturnType<typeof findIface>>,
): Mitigation {
  const ring = iface.ring;
  const caveats = [
    'Changing the ring size re-creates the queues: expect a traffic blip of a second or less.',
    'A longer ring absorbs microbursts; it does not help when the CPU is slower than the average rate.',
  ];
  if (ring?.rx != null && ring.rxMax != null && ring.rx < ring.rxMax) {
    if (isAzureVfName(name)) {
      caveats.push(
        `The udev rule matches every ${iface.driver ?? 'VF'} VF named enP*: Azure can hot-remove and re-add the VF, and the rule re-applies the size on each add.`,
      );
    }
    return {
      summary: `Raise the RX ring of ${name} from ${ring.rx} to its preset maximum ${ring.rxMax}.`,
      commands: [`ethtool -G ${name} rx ${ring.rxMax}`],
      persistent: [udevRule(iface, `-G {if} rx ${ring.rxMax}`)],
      persistentPath: UDEV_FILE,
      caveats,
    };
  }
  if (ring?.rx != null && ring.rxMax != null) {
    const ch = iface.channels;
    const more =
      ch?.current.combined != null &&
      ch.max.combined != null &&
      ch.current.combined < ch.max.combined;
    return {
      summary: `The RX ring of ${name} is already at its maximum (${ring.rxMax}): spread the load over more queues and give NAPI more budget (see SQUEEZE).`,
      commands: more ? [`ethtool -L ${name} combined ${ch?.max.combined}`] : [],
      persistent: more ? [udevRule(iface, `-L {if} combined ${ch?.max.combined}`)] : [],
      ...(more ? { persistentPath: UDEV_FILE } : {}),
      caveats,
    };
  }
  return {
    summary: `Read the preset maximum with ethtool -g and raise the RX ring of ${name} to it (ethtool -G ${name} rx <max>); the ring size was not collected.`,
    commands: [],
    checks: [`ethtool -g ${name}`],
    persistent: [],
    caveats,
  };
}

// FULL_RING from the trace: a software ring (tun/tap, veth ptr_ring), no NIC to resize.
const softwareRingAdvice: AdviceFor = (ctx, g, f) => ({
  title: `${packets(f.packets)} dropped: a software ring was full`,
  explanation: `The kernel dropped ${packets(f.packets)} on ${ctx.host} ${when(ctx, f)} because a software ring (tun/tap or veth) was full: ${topCounters(g.members)}.`,
  mitigation: {
    summary:
      'Find the tun/tap or veth device whose reader is too slow (ethtool -S of the veth pairs, the VMM for tap); speed up the reader or give it more queues.',
    commands: [],
    checks: ['ip -s -s link'],
    persistent: [],
  },
  config: [],
});
