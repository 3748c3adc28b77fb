import { getOwn } from '../../own-record.js';
import type { AdviceFor } from '../context.js';
import { packets } from '../numbers.js';
import type { Observation } from '../observation.js';
import { findIface, ifaceTitle, topCounters, when } from './text.js';

// CLOUD: the provider queued or dropped packets outside the VM because the instance went over
// an allowance (COUNTERS.md, AWS-PERF). No guest setting raises these limits.
const WHAT: Record<string, { limit: string; fix: string }> = {
  bw_in_allowance_exceeded: {
    limit: 'inbound bandwidth',
    fix: 'an instance size with more network bandwidth, or spread the traffic over more instances',
  },
  bw_out_allowance_exceeded: {
    limit: 'outbound bandwidth',
    fix: 'an instance size with more network bandwidth, or spread the traffic over more instances',
  },
  pps_allowance_exceeded: {
    limit: 'packets-per-second',
    fix: 'an instance size with a higher PPS allowance, fewer and larger packets (jumbo MTU, batching), or more instances',
  },
  conntrack_allowance_exceeded: {
    limit: 'connection-tracking',
    fix: 'fewer tracked connections (security-group rules that allow all traffic both ways are not tracked), shorter idle timeouts, or a larger instance',
  },
  linklocal_allowance_exceeded: {
    limit: 'link-local services (DNS, IMDS, NTP) PPS',
    fix: 'cache DNS answers locally (a local resolver) and query the instance metadata less often',
  },
};

const DEVICE_LIMIT = {
  limit: 'device rate',
  fix: 'a larger instance or device size from the provider',
};

export const cloudAdvice: AdviceFor = (ctx, g, f) => {
  const name = g.iface ?? ctx.host;
  const families = [...new Set(g.members.map((o: Observation) => o.rule.family))];
  const what = families.map((fam) => getOwn(WHAT, fam) ?? DEVICE_LIMIT);
  const limits = [...new Set(what.map((w) => w.limit))].join(' and ');
  const sentences = [
    `${ifaceTitle(findIface(ctx, g.iface), name)} reports ${topCounters(g.members)} ${when(ctx, f)}: the cloud provider queued or dropped packets because the instance went over its ${limits} allowance.`,
  ];
  if (f.sinceBoot) {
    sentences.push(
      'These counters count since boot (since the driver loaded), not during a run: compare two snapshots to see whether they still grow.',
    );
  }
  return {
    title: `${packets(f.packets)} over the provider allowance (${families.join(', ')})${f.sinceBoot ? ' since boot' : ''}`,
    explanation: sentences.join(' '),
    mitigation: {
      summary: `The provider enforces this outside the VM. Use ${[...new Set(what.map((w) => w.fix))].join('; or ')}.`,
      commands: [],
      // The way to watch the counters while trying a fix.
      ...(g.iface ? { checks: [`ethtool -S ${g.iface} | grep allowance`] } : {}),
      persistent: [],
      caveats: [
        'No sysctl or ethtool setting in the guest raises a provider allowance.',
        ...(f.sinceBoot ? ['Counts since the driver loaded: the shaping may be old.'] : []),
      ],
    },
    config: [],
  };
};
