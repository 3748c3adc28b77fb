import type { ConnectionInfo } from '../transport/types.js';
import type { ClockOffset } from './clock.js';
import { type ProbeFacts, toolVersion } from './probe.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  id:
    | 'connection'
    | 'privilege'
    | 'system'
    | 'tools'
    | 'counters'
    | 'tracing'
    | 'clock'
    | 'addresses'
    | 'restore';
  status: CheckStatus;
  detail: string;
  hint?: string;
}

// What the checks are for: a reproduction needs iperf3, a bundle does not.
export type Purpose = 'repro' | 'bundle';

// Pure: turns what the probe saw into checks with hints. `fail` blocks.
export function evaluate(
  info: ConnectionInfo,
  facts: ProbeFacts,
  clock: ClockOffset | undefined,
  purpose: Purpose,
): Check[] {
  return [
    connectionCheck(info),
    privilegeCheck(facts),
    systemCheck(facts),
    toolsCheck(facts, purpose),
    countersCheck(facts),
    tracingCheck(facts),
    clockCheck(clock),
    addressesCheck(facts, purpose),
    ...restoreCheck(facts),
  ];
}

// Settings an earlier `repro compare` changed and could not verify restored
// (a lost connection): the host's guard has most likely put them back, but
// only `repro restore` checks. Shown only when there is one.
function restoreCheck(facts: ProbeFacts): Check[] {
  if (!facts.restorePending.length) return [];
  const runs = facts.restorePending.map((f) => f.split('-')[0]).join(', ');
  return [
    {
      id: 'restore',
      status: 'warn',
      detail: `a restore is pending: settings changed by repro compare (run ${runs}) were not verified restored`,
      hint: 'run `repro restore --node HOST` to restore and verify them',
    },
  ];
}

function connectionCheck(info: ConnectionInfo): Check {
  const hk = info.hostKey;
  const conn =
    info.authMethod === 'local'
      ? 'local'
      : `${info.user}@${info.address}:${info.port}, ${info.authMethod}, host key ${hk?.status === 'accepted-new' ? 'newly recorded' : 'known'} (${hk?.type} ${hk?.fingerprint})${info.via.length ? `, via ${info.via.join(' → ')}` : ''}`;
  return { id: 'connection', status: 'ok', detail: conn };
}

function privilegeCheck(facts: ProbeFacts): Check {
  if (facts.uid === 0) return { id: 'privilege', status: 'ok', detail: `${facts.user} (root)` };
  if (facts.sudo === 'passwordless')
    return { id: 'privilege', status: 'ok', detail: `${facts.user}, passwordless sudo` };
  return {
    id: 'privilege',
    status: 'warn',
    detail: `${facts.user}, not root, sudo ${facts.sudo === 'password' ? 'wants a password' : 'not available'}`,
    hint: 'root-only evidence (drop tracing, some ethtool queries) will be skipped; log in as root or allow NOPASSWD sudo',
  };
}

function systemCheck(facts: ProbeFacts): Check {
  return {
    id: 'system',
    status: facts.kernel ? 'ok' : 'warn',
    detail: `${facts.distro || 'unknown distro'}, kernel ${facts.kernel || '?'} ${facts.arch}, ${facts.cpus ?? '?'} CPUs`,
  };
}

function toolsCheck(facts: ProbeFacts, purpose: Purpose): Check {
  const t = facts.tools;
  const present = (Object.keys(t) as Array<keyof typeof t>)
    .map((k) => `${k} ${t[k] ? toolVersion(t[k]) : 'MISSING'}`)
    .join(', ');
  const missingRequired = [
    ...(purpose === 'repro' && !t.iperf3 ? ['iperf3'] : []),
    ...(!t.ip ? ['iproute2'] : []),
  ];
  const missingOptional = [...(!t.ethtool ? ['ethtool'] : []), ...(!t.tc ? ['iproute2 (tc)'] : [])];
  if (missingRequired.length)
    return {
      id: 'tools',
      status: 'fail',
      detail: present,
      hint: `install ${missingRequired.join(', ')} on the host (apt-get install -y ${missingRequired.join(' ')})`,
    };
  if (missingOptional.length)
    return {
      id: 'tools',
      status: 'warn',
      detail: present,
      hint: `install ${missingOptional.join(', ')} for driver counters and ring sizes`,
    };
  return { id: 'tools', status: 'ok', detail: present };
}

function countersCheck(facts: ProbeFacts): Check {
  if (!facts.softnetReadable || facts.sysfsInterfaces === 0)
    return {
      id: 'counters',
      status: 'fail',
      detail: `softnet_stat ${facts.softnetReadable ? 'readable' : 'NOT readable'}, ${facts.sysfsInterfaces} interfaces with readable sysfs statistics`,
      hint: 'the host hides /proc/net or /sys/class/net; run on the host itself, not in a restricted container',
    };
  return {
    id: 'counters',
    status: 'ok',
    detail: `softnet_stat readable, ${facts.sysfsInterfaces} interfaces with sysfs statistics`,
  };
}

function tracingCheck(facts: ProbeFacts): Check {
  if (facts.kfreeSkb === 'reason' || facts.kfreeSkb === 'location')
    return {
      id: 'tracing',
      status: facts.uid === 0 || facts.sudo === 'passwordless' ? 'ok' : 'warn',
      detail: `${facts.tracefs}, skb:kfree_skb ${facts.kfreeSkb === 'reason' ? 'with drop reasons' : 'without reasons (locations only)'}`,
    };
  const why =
    facts.tracefs === 'unmounted'
      ? 'tracefs is not mounted'
      : facts.tracefs === 'absent'
        ? 'no tracefs'
        : `skb:kfree_skb ${facts.kfreeSkb}`;
  return {
    id: 'tracing',
    status: 'warn',
    detail: why,
    hint:
      facts.tracefs === 'unmounted'
        ? 'mount -t tracefs nodev /sys/kernel/tracing (as root) to enable drop-reason tracing'
        : 'drop-reason tracing will be skipped; counters still work',
  };
}

function clockCheck(clock: ClockOffset | undefined): Check {
  if (!clock)
    return {
      id: 'clock',
      status: 'warn',
      detail: 'could not read the host clock',
      hint: 'the time series will be aligned by arrival time only',
    };
  const detail = `offset ${fmtMs(clock.offsetMs)} ± ${clock.errorMs.toFixed(1)} ms${clock.resolution === 's' ? ' (host clock to the second only)' : ''}`;
  const off = Math.abs(clock.offsetMs) > 1000;
  return {
    id: 'clock',
    status: off ? 'warn' : 'ok',
    detail,
    ...(off
      ? {
          hint: 'the host clock is off by more than 1 s; check NTP (chronyc tracking). dropkit corrects for it in time series',
        }
      : {}),
  };
}

function addressesCheck(facts: ProbeFacts, purpose: Purpose): Check {
  const v4 = facts.addresses.filter((a) => a.family === 'inet');
  if (!facts.addresses.length)
    return {
      id: 'addresses',
      status: purpose === 'repro' ? 'fail' : 'warn',
      detail: 'no global address',
      hint: 'the host needs a data-plane address for iperf3',
    };
  return {
    id: 'addresses',
    status: 'ok',
    detail: (v4.length ? v4 : facts.addresses).map((a) => `${a.ifname} ${a.cidr}`).join(', '),
  };
}

function fmtMs(ms: number): string {
  return `${ms >= 0 ? '+' : ''}${ms.toFixed(1)} ms`;
}
