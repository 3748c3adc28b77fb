import type { CheckedPlan, RingGroup } from './checked-plan.js';
import type { PlatformParts } from './parts.js';
import { rollbackFile } from './rollback.js';
import { hashComments, MARK, relative } from './text.js';
import type { GeneratedFile } from './types.js';

// A TuneD profile. Option names from TuneD's own plugin docs:
//  - net plugin `ring=rx N` (same syntax as ethtool -G;
//    https://github.com/redhat-performance/tuned/blob/master/tuned/plugins/plugin_net.py),
//    per unit, `type=net` for a unit with a name of its own so it cannot clash
//    with a [net] unit of the included profile;
//  - `devices=` (names) or `devices_udev_regex=` (a regex searched in the
//    device's udev properties, KEY=value per line; tuned/plugins/base.py). An
//    Azure VF is matched by ID_NET_DRIVER, which survives its rename; the net
//    plugin is hotplug-aware, so a re-added VF is tuned again;
//  - [sysctl] `key=value`; [main] include= to keep the active profile's tuning
//    (https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/9/html/monitoring_and_managing_system_status_and_performance/customizing-tuned-profiles_monitoring-and-managing-system-status-and-performance).

const DIR = '/etc/tuned/dropkit';
const CONF = `${DIR}/tuned.conf`;
const BASE = 'throughput-performance';

function netUnit(g: RingGroup): string {
  const devices = g.azureVf
    ? `devices_udev_regex=^ID_NET_DRIVER=${g.driver.replace(/\./g, '\\.')}$`
    : `devices=${[...new Set(g.fixes.map((f) => f.iface))].join(', ')}`;
  return `[dropkit_ring_${g.driver.replace(/[^A-Za-z0-9_]/g, '_')}]\ntype=net\n${devices}\nring=rx ${g.value}\n`;
}

function profile(plan: CheckedPlan): string {
  const sysctl = plan.sysctls.length
    ? `[sysctl]\n${plan.sysctls.map((s) => `# ${s.because || 'dropkit diagnosis'}\n${s.name}=${s.target}`).join('\n')}\n`
    : '';
  return `${hashComments([
    `${MARK}: the ring and sysctl fixes of its diagnosis, on top of the profile you use.`,
    `Remove it with rollback.sh, or by hand: tuned-adm profile <previous>; rm -r ${DIR}.`,
  ])}
[main]
summary=dropkit: RX ring and backlog fixes
# Replace with the profile that is active now (tuned-adm active), so its tuning stays.
include=${BASE}

${[...plan.rings.map(netUnit), sysctl].filter(Boolean).join('\n')}`;
}

export function tuned(plan: CheckedPlan): PlatformParts {
  const conf: GeneratedFile = {
    path: relative(CONF),
    installTo: CONF,
    content: profile(plan),
    what: 'a TuneD profile: the rings (net plugin) and the sysctls, including the profile you use now',
    apply: [
      'tuned-adm active   # note the profile; put it in include= of tuned.conf',
      `mkdir -p ${DIR} && install -m 0644 ${relative(CONF)} ${CONF}`,
      'tuned-adm profile dropkit',
      'tuned-adm verify',
    ],
    rollback: ['sh rollback.sh <the profile noted before>'],
  };
  const rollback = rollbackFile(plan, {
    files: [CONF],
    // Switching back makes TuneD undo what this profile set (it keeps the
    // values it replaced); the explicit resets after it are for safety.
    before: [
      'prev=',
      '[ $# -eq 0 ] || prev=$1',
      '[ -n "$prev" ] || prev=$(tuned-adm recommend)',
      'tuned-adm profile "$prev" && echo "TuneD profile: $prev"',
    ],
    after: [`rmdir ${DIR} 2>/dev/null || true`],
    usage: '[previous-profile]',
  });
  return {
    title: 'dropkit persistent fixes: TuneD profile',
    intro: [
      `Install ${CONF}, set include= to the active profile, and switch to the dropkit profile. TuneD applies it at every start and on every NIC hot-add.`,
    ],
    files: [conf, rollback],
    notes: [
      `include=${BASE} is a placeholder: with it, the active profile's own settings (e.g. virtual-guest's) are replaced by ${BASE}'s.`,
      'TuneD re-applies /etc/sysctl.d after its own [sysctl] (reapply_sysctl=1 in tuned-main.conf): a sysctl.d file that sets the same key wins over this profile.',
    ],
    problems: [],
  };
}
