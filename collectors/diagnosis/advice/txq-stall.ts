import type { InterfaceSnapshot } from '../../model.js';
import type { Advice, DiagnosisContext, GroupFacts } from '../context.js';
import type { Group } from '../group.js';
import { headlinePackets } from '../headline.js';
import { count, counted, packets } from '../numbers.js';
import { ifaceTitle, topCounters, when } from './text.js';

// The netdev watchdog (dev_watchdog) found a TX queue stopped for longer than its timeout
// (5 s unless the driver sets watchdog_timeo) and called ndo_tx_timeout: the device stopped
// completing transmits. ena counts it as tx_timeout and resets the device (AWS-TS), gve as
// tx_timeouts, virtio_net per queue when the host stops consuming the virtqueue. Not a queue
// that is too small: the queue stalled, usually on the device or the host's side.
const DEVICE_SIDE: Record<string, string> = {
  ena: 'ENA resets the device after a TX timeout (the kernel log shows the reset): what was queued is lost, and the cause is on the Nitro card / host side.',
  gve: 'gve resets the device after a TX timeout: the cause is on the gVNIC / host side.',
  virtio_net:
    'virtio_net: the hypervisor (vhost or the virtual device) stopped consuming the TX virtqueue: the cause is on the host side.',
};

export function stallAdvice(
  ctx: DiagnosisContext,
  g: Group,
  f: GroupFacts,
  iface: InterfaceSnapshot | undefined,
): Advice {
  const name = g.iface ?? ctx.host;
  const stalls = g.members.filter((o) => o.rule.kind === 'stall');
  const lost = g.members.filter((o) => o.rule.kind !== 'stall');
  // Per-queue timeouts add up; a total printed next to them is not added again.
  const timeouts = headlinePackets(stalls);
  const sentences = [
    `${ifaceTitle(iface, name)} reported ${topCounters(stalls)} ${when(ctx, f)}: the kernel's TX watchdog found a transmit queue stopped for longer than its timeout (5 s by default), so the queue stalled: the device stopped completing transmits.`,
  ];
  if (lost.length) sentences.push(`Packets were dropped on transmit too: ${topCounters(lost)}.`);
  if (g.support.length) sentences.push(`With it: ${topCounters(g.support)}.`);
  const side = iface?.driver === undefined ? undefined : DEVICE_SIDE[iface.driver];
  sentences.push(
    side ??
      'A stalled queue is a device or host problem (firmware, the hypervisor, a hung device), not a queue that is too small.',
  );
  const checks = [
    "dmesg -T | grep -iE 'NETDEV WATCHDOG|tx timeout|timed out|reset'",
    ...(g.iface ? [`ethtool -S ${g.iface} | grep -iE 'timeout|reset|stop|wake'`] : []),
  ];
  return {
    title: lost.length
      ? `${packets(f.packets)} dropped on transmit; TX queue stalled (${counted(timeouts, 'watchdog timeout')})`
      : `${counted(timeouts, 'TX watchdog timeout')}: a TX queue stalled`,
    explanation: sentences.join(' '),
    mitigation: {
      summary: `A TX queue of ${name} stalled (${count(timeouts)} watchdog timeout${timeouts === 1n ? '' : 's'}): a device or host problem, not a ring size. Save the kernel log around the timeouts and these counters, and open a case with the cloud vendor or the NIC vendor; a larger TX ring or more queues does not fix it.`,
      commands: [],
      checks,
      persistent: [],
      caveats: [
        'If the timeouts follow a driver or kernel update, compare driver versions (ethtool -i) with a working host.',
      ],
    },
    config: [],
  };
}
