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
    | 'addresses';
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
  const checks: Check[] = [];
  const hk = info.hostKey;
  const conn =
    info.authMethod === 'local'
      ? 'local'
      : `${info.user}@${info.address}:${info.port}, ${info.authMethod}, host key ${hk?.status === 'accepted-new' ? 'newly recorded' : 'known'} (${hk?.type} ${hk?.fingerprint})${info.via.length ? `, via ${info.via.join(' → ')}` : ''}`;
  checks.push({ id: 'connection', status: 'ok', detail: conn });

  const isRoot = facts.uid === 0;
  if (isRoot) checks.push({ id: 'privilege', status: 'ok', detail: `${facts.user} (root)` });
  else if (facts.sudo === 'passwordless')
    checks.push({ id: 'privilege', status: 'ok', detail: `${facts.user}, passwordless sudo` });
  else
    checks.push({
      id: 'privilege',
      status: 'warn',
      detail: `${facts.user}, not root, sudo ${facts.sudo === 'password' ? 'wants a password' : 'not available'}`,
      hint: 'root-only evidence (drop tracing, some ethtool queries) will be skipped; log in as root or allow NOPASSWD sudo',
    });

  checks.push({
    id: 'system',
    status: facts.kernel ? 'ok' : 'warn',
    detail: `${facts.distro || 'unknown distro'}, kernel ${facts.kernel || '?'} ${facts.arch}, ${facts.cpus ?? '?'} CPUs`,
  });

  const t = facts.tools;
  const present = (Object.keys(t) as Array<keyof typeof t>)
    .map((k) => `${k} ${t[k] ? toolVersion(t[k]) : 'MISSING'}`)
    .join(', ');
  const missingRequired = [
    ...(purpose === 'repro' && !t.iperf3 ? ['iperf3'] : []),
    ...(!t.ip ? ['iproute2'] : []),
  ];
  const missingOptional = [...(!t.ethtool ? ['ethtool'] : []), ...(!t.tc ? ['iproute2 (tc)'] : [])];
  if (missingRequired.length) {
    checks.push({
      id: 'tools',
      status: 'fail',
      detail: present,
      hint: `install ${missingRequired.join(', ')} on the host (apt-get install -y ${missingRequired.join(' ')})`,
    });
  } else if (missingOptional.length) {
    checks.push({
      id: 'tools',
      status: 'warn',
      detail: present,
      hint: `install ${missingOptional.join(', ')} for driver counters and ring sizes`,
    });
  } else checks.push({ id: 'tools', status: 'ok', detail: present });

  if (!facts.softnetReadable || facts.sysfsInterfaces === 0) {
    checks.push({
      id: 'counters',
      status: 'fail',
      detail: `softnet_stat ${facts.softnetReadable ? 'readable' : 'NOT readable'}, ${facts.sysfsInterfaces} interfaces with readable sysfs statistics`,
      hint: 'the host hides /proc/net or /sys/class/net; run on the host itself, not in a restricted container',
    });
  } else
    checks.push({
      id: 'counters',
      status: 'ok',
      detail: `softnet_stat readable, ${facts.sysfsInterfaces} interfaces with sysfs statistics`,
    });

  if (facts.kfreeSkb === 'reason' || facts.kfreeSkb === 'location') {
    checks.push({
      id: 'tracing',
      status: isRoot || facts.sudo === 'passwordless' ? 'ok' : 'warn',
      detail: `${facts.tracefs}, skb:kfree_skb ${facts.kfreeSkb === 'reason' ? 'with drop reasons' : 'without reasons (locations only)'}`,
    });
  } else {
    const why =
      facts.tracefs === 'unmounted'
        ? 'tracefs is not mounted'
        : facts.tracefs === 'absent'
          ? 'no tracefs'
          : `skb:kfree_skb ${facts.kfreeSkb}`;
    checks.push({
      id: 'tracing',
      status: 'warn',
      detail: why,
      hint:
        facts.tracefs === 'unmounted'
          ? 'mount -t tracefs nodev /sys/kernel/tracing (as root) to enable drop-reason tracing'
          : 'drop-reason tracing will be skipped; counters still work',
    });
  }

  if (!clock)
    checks.push({
      id: 'clock',
      status: 'warn',
      detail: 'could not read the host clock',
      hint: 'the time series will be aligned by arrival time only',
    });
  else {
    const detail = `offset ${fmtMs(clock.offsetMs)} ± ${clock.errorMs.toFixed(1)} ms${clock.resolution === 's' ? ' (host clock to the second only)' : ''}`;
    const off = Math.abs(clock.offsetMs) > 1000;
    checks.push({
      id: 'clock',
      status: off ? 'warn' : 'ok',
      detail,
      ...(off
        ? {
            hint: 'the host clock is off by more than 1 s; check NTP (chronyc tracking). dropkit corrects for it in time series',
          }
        : {}),
    });
  }

  const v4 = facts.addresses.filter((a) => a.family === 'inet');
  if (!facts.addresses.length)
    checks.push({
      id: 'addresses',
      status: purpose === 'repro' ? 'fail' : 'warn',
      detail: 'no global address',
      hint: 'the host needs a data-plane address for iperf3',
    });
  else
    checks.push({
      id: 'addresses',
      status: 'ok',
      detail: (v4.length ? v4 : facts.addresses).map((a) => `${a.ifname} ${a.cidr}`).join(', '),
    });
  return checks;
}

function fmtMs(ms: number): string {
  return `${ms >= 0 ? '+' : ''}${ms.toFixed(1)} ms`;
}
