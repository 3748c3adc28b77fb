import type { AdviceFor } from '../context.js';
import type { Mitigation } from '../finding.js';
import { cpuList, packets } from '../numbers.js';
import type { Observation } from '../observation.js';
import { BACKLOG_CAP, backlogTarget, sysctlInt } from '../sysctl-values.js';
import { configEvidence, label, SYSCTL_FILE, topCounters, when } from './text.js';

const NAME = 'net.core.netdev_max_backlog';

// BACKLOG: enqueue_to_backlog() found the per-CPU input queue longer than netdev_max_backlog
// (softnet_stat column 2; DESIGN.md, the second cause). Pod veths feed this queue.
export const backlogAdvice: AdviceFor = (ctx, g, f) => {
  const current = sysctlInt(ctx.after.sysctls, NAME);
  const softnet = g.members.filter((o) => o.area === 'softnet');
  const others = g.members.filter((o) => o.area !== 'softnet');
  const where = f.cpus.length ? ` on ${cpuList(f.cpus)}` : '';
  const sentences = [
    `The per-CPU backlog of ${ctx.host} overflowed${where} ${when(ctx, f)}: at least ${packets(f.packets)} dropped (${topCounters(softnet.length ? softnet : g.members)}), with netdev_max_backlog=${current ?? 'unknown'}.`,
  ];
  if (softnet.length && others.length) sentences.push(`${corroboration(others)} confirm it.`);
  if (others.some((o) => o.area === 'kernel' && o.key === 'tx_dropped')) {
    sentences.push(
      "A veth counts a packet its peer's backlog refused as tx_dropped on the sending side (veth_xmit): the same drop, not a TX queue problem.",
    );
  } else if (!softnet.length && g.ambiguousOnly) {
    sentences.push(
      'Only the veth dropped counter moved and softnet_stat was not collected, so this is a likely backlog drop, not a proven one.',
    );
  }
  return {
    title: `${packets(f.packets)} dropped at the per-CPU backlog (netdev_max_backlog=${current ?? '?'})`,
    explanation: sentences.join(' '),
    mitigation: backlogMitigation(ctx.after.softnet.length, f.cpus, current, g.support),
    config: current === undefined ? [] : [configEvidence(NAME, current)],
  };
};

// `kfree_skb CPU_BACKLOG at enqueue_to_backlog and lxc1 rx_dropped`.
function corroboration(others: readonly Observation[]): string {
  const names = [...new Set(others.map((o) => (o.area === 'kernel' ? o.name : label(o))))];
  const more = names.length > 3 ? ` and ${names.length - 3} more` : '';
  const shown = names.slice(0, 3);
  const list = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : shown[0];
  return `${list}${more}`;
}

function backlogMitigation(
  cpusTotal: number,
  cpus: readonly number[],
  current: number | undefined,
  support: readonly Observation[],
): Mitigation {
  const target = backlogTarget(current);
  const caveats = [
    'net.core.* and softnet_stat belong to the kernel, not to a network namespace: containers and lab hosts on one kernel share them.',
  ];
  if (current === undefined)
    caveats.push(`${NAME} was not collected; the value assumes the default 1000.`);
  if (cpus.length === 1 && cpusTotal > 1) {
    caveats.push(
      `All drops were on cpu${cpus[0]}: one CPU receives this traffic (RSS/RPS steering). Spreading it with /sys/class/net/<if>/queues/rx-*/rps_cpus helps more than a longer queue.`,
    );
  }
  if (support.some((o) => o.key === 'flow_limit_count')) {
    caveats.push(
      'The flow limiter (net.core.flow_limit_cpu_bitmap) dropped some of these: one large flow filled the backlog.',
    );
  }
  if (target === undefined) {
    return {
      summary: `${NAME} is already ${current} (cap ${BACKLOG_CAP}): the CPU cannot keep up; spread the receive work over more CPUs (RSS queues, RPS) instead of queueing more.`,
      commands: [],
      persistent: [],
      caveats,
    };
  }
  return {
    summary: `Raise ${NAME} from ${current ?? 'the default'} to ${target}.`,
    commands: [`sysctl -w ${NAME}=${target}`],
    persistent: [`${NAME} = ${target}`],
    persistentPath: SYSCTL_FILE,
    caveats,
  };
}
