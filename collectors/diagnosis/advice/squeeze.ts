import type { AdviceFor } from '../context.js';
import type { Mitigation } from '../finding.js';
import { count, counted, cpuList } from '../numbers.js';
import { budgetTarget, budgetUsecsTarget, sysctlInt } from '../sysctl-values.js';
import { configEvidence, SYSCTL_FILE, when } from './text.js';

const BUDGET = 'net.core.netdev_budget';
const USECS = 'net.core.netdev_budget_usecs';

// SQUEEZE: net_rx_action() stopped with packets left because netdev_budget packets or
// netdev_budget_usecs passed (softnet_stat column 3). Not a drop by itself; with ring drops
// on the same host it is the likely reason the ring was not drained in time.
export const squeezeAdvice: AdviceFor = (ctx, _group, f) => {
  const budget = sysctlInt(ctx.after.sysctls, BUDGET);
  const usecs = sysctlInt(ctx.after.sysctls, USECS);
  const ring = ctx.groups.find((x) => x.class === 'RING' && x.iface !== undefined);
  const sentences = [
    `NAPI polling on ${f.cpus.length ? cpuList(f.cpus) : ctx.host} ran out of budget ${counted(f.packets, 'time')} ${when(ctx, f)} with packets still waiting (softnet time_squeeze).`,
    ring
      ? `${ctx.host} also dropped packets at the RX ring of ${ring.iface}: a softirq that stops early leaves the ring to fill up, so raise both.`
      : 'That is not a drop by itself, but a ring that is not drained in time overflows.',
  ];
  const config = [
    ...(budget === undefined ? [] : [configEvidence(BUDGET, budget)]),
    ...(usecs === undefined ? [] : [configEvidence(USECS, usecs)]),
  ];
  return {
    title: `${count(f.packets)} NAPI budget squeezes (netdev_budget=${budget ?? '?'}, netdev_budget_usecs=${usecs ?? '?'})`,
    explanation: sentences.join(' '),
    mitigation: squeezeMitigation(budget, usecs),
    config,
    ...(budget === undefined || usecs === undefined
      ? {
          unknown: [
            ...(budget === undefined ? [BUDGET] : []),
            ...(usecs === undefined ? [USECS] : []),
          ],
        }
      : {}),
  };
};

function squeezeMitigation(budget: number | undefined, usecs: number | undefined): Mitigation {
  const b = budgetTarget(budget);
  const u = budgetUsecsTarget(usecs);
  const caveats = [
    'A larger budget lets the receive softirq hold a CPU longer, which adds latency for the applications on that CPU.',
  ];
  // Unknown is not the default: a host tuned above the target would be told to lower it.
  if (budget === undefined || usecs === undefined)
    return {
      summary: `Read ${BUDGET} and ${USECS} first (not collected), then raise them: the budget twice, at least 600; its time 4 times, at least 8000 µs.`,
      commands: [],
      checks: [`sysctl ${BUDGET} ${USECS}`],
      persistent: [],
      caveats,
    };
  const sets = [...(b ? [`${BUDGET}=${b}`] : []), ...(u ? [`${USECS}=${u}`] : [])];
  if (sets.length === 0) {
    return {
      summary: `The NAPI budget is already high (${budget} packets, ${usecs} µs): spread the receive work over more CPUs (more RSS queues with ethtool -L, RPS).`,
      commands: [],
      persistent: [],
      caveats,
    };
  }
  return {
    summary: `Give NAPI more room per softirq round: ${sets.join(', ')}.`,
    commands: [`sysctl -w ${sets.join(' ')}`],
    persistent: sets.map((s) => s.replace('=', ' = ')),
    persistentPath: SYSCTL_FILE,
    caveats,
  };
}
