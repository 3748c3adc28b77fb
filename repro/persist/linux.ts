import type { CheckedPlan } from './checked-plan.js';
import type { PlatformParts } from './parts.js';
import { rollbackFile } from './rollback.js';
import { sysctlConf } from './sysctl-conf.js';
import { ETHTOOL, SYSCTL_PATH, UDEV_PATH } from './text.js';
import { udevRulesFile } from './udev-rule.js';

// Plain Linux: a sysctl.d file and a udev rule, both read by every systemd
// distribution at boot (sysctl.d(5), udev(7)), and a rollback script.
export function linux(plan: CheckedPlan): PlatformParts {
  const files = [];
  if (plan.sysctls.length) files.push(sysctlConf(plan));
  if (plan.rings.length) files.push(udevRulesFile(plan));
  const installed = files.map((f) => f.installTo!);
  files.push(
    rollbackFile(plan, {
      files: installed,
      after: installed.includes(UDEV_PATH) ? ['udevadm control --reload || true'] : [],
    }),
  );
  return {
    title: 'dropkit persistent fixes: plain Linux (sysctl.d + udev)',
    intro: [
      `Copy each file to the path it names on every affected host, as root, then run its Apply lines. ${SYSCTL_PATH} and ${UDEV_PATH} are read again at every boot.`,
    ],
    files,
    notes: [...driverWideNotes(plan), ...ethtoolNote(plan)],
    problems: [],
  };
}

export function driverWideNotes(plan: CheckedPlan): string[] {
  return plan.rings.map((g) =>
    g.azureVf
      ? `The ring rule applies to every ${g.driver} accelerated-networking VF of the host (every ${g.driver} NIC under hv_pci), under whatever name Azure gives it when it re-adds it.`
      : `The ring rule applies to every NIC of the ${g.driver} driver on the host, not only ${g.fixes.map((f) => f.iface).join(', ')}.`,
  );
}

export function ethtoolNote(plan: CheckedPlan): string[] {
  return plan.rings.length
    ? [
        `The rule calls ${ETHTOOL}; on distributions without a merged /usr (Ubuntu 18.04, Debian 10) ethtool is /sbin/ethtool: edit the path there.`,
      ]
    : [];
}
