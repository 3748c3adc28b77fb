import { initNetnsSysctlCommand } from '../../init-netns.js';
import type { Snapshot } from '../../model.js';
import type { AdviceFor } from '../context.js';
import type { Mitigation } from '../finding.js';
import { cpuList, packets } from '../numbers.js';
import type { Observation } from '../observation.js';
import { BACKLOG_CAP, BACKLOG_FLOOR, backlogTarget, sysctlInt } from '../sysctl-values.js';
import { rpsNote } from './rps-note.js';
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
    `The per-CPU backlog of ${ctx.host} overflowed${where} ${when(ctx, f)}: at least ${packets(f.packets)} dropped (${topCounters(softnet.length ? softnet : g.members)}), with ${current === undefined ? 'netdev_max_backlog unknown (not collected)' : `netdev_max_backlog=${current}`}.`,
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
    mitigation: backlogMitigation(ctx.after, f.cpus, current, g.support),
    config: current === undefined ? [] : [configEvidence(NAME, current)],
    ...(current === undefined ? { unknown: [NAME] } : {}),
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
  after: Snapshot,
  cpus: readonly number[],
  current: number | undefined,
  support: readonly Observation[],
): Mitigation {
  const target = backlogTarget(current);
  const cpusTotal = after.softnet.length;
  const caveats = [
    'net.core.* and softnet_stat belong to the kernel, not to a network namespace: containers and lab hosts on one kernel share them.',
  ];
  // Drops on few CPUs: the RPS masks that explain it, when they were read.
  const rps = rpsNote(after, cpus, cpusTotal);
  if (rps) caveats.push(rps.note);
  if (support.some((o) => o.key === 'flow_limit_count')) {
    caveats.push(
      'The flow limiter (net.core.flow_limit_cpu_bitmap) dropped some of these: one large flow filled the backlog.',
    );
  }
  // Unknown is not the default: a host tuned above the target would be
  // told to lower it. The value is read first, where it is visible.
  if (current === undefined) {
    const read = initNetnsSysctlCommand([NAME]);
    return {
      summary: `Read ${NAME} first (it was not collected; inside a container or a network namespace it is visible only from the initial one, as root: ${read}), then raise it to 4 times its value, at least ${BACKLOG_FLOOR} and at most ${BACKLOG_CAP}.`,
      commands: [],
      checks: [`sysctl ${NAME}`, read, ...(rps?.checks ?? [])],
      persistent: [],
      caveats,
    };
  }
  if (target === undefined) {
    return {
      summary: `${NAME} is already ${current} (cap ${BACKLOG_CAP}): the CPU cannot keep up; spread the receive work over more CPUs (RSS queues, RPS) instead of queueing more.`,
      commands: [],
      ...(rps?.checks.length ? { checks: rps.checks } : {}),
      persistent: [],
      caveats,
    };
  }
  return {
    summary: `Raise ${NAME} from ${current} to ${target}.`,
    commands: [`sysctl -w ${NAME}=${target}`],
    ...(rps?.checks.length ? { checks: rps.checks } : {}),
    persistent: [`${NAME} = ${target}`],
    persistentPath: SYSCTL_FILE,
    caveats,
  };
}
