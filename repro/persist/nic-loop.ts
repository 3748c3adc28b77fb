import type { RingGroup } from './checked-plan.js';
import { ETHTOOL } from './text.js';

// POSIX sh that sets the RX ring of every NIC bound to a driver, found through
// /sys/class/net/*/device/driver: the same set the udev rule matches, found the
// same way whatever the NICs are called now. A failure is reported and the
// loop goes on (one NIC at its limit must not stop the others).
export function ringByDriverSh(driver: string, rx: number, ethtool = ETHTOOL): string {
  return `for dev in /sys/class/net/*; do
  [ -e "$dev/device/driver" ] || continue
  drv=$(readlink -f "$dev/device/driver") || continue
  [ "\${drv##*/}" = "${driver}" ] || continue
  ${ethtool} -G "\${dev##*/}" rx ${rx} || echo "dropkit: ethtool -G \${dev##*/} rx ${rx} failed" >&2
done`;
}

export function applyRingsSh(rings: readonly RingGroup[], ethtool = ETHTOOL): string {
  return rings.map((g) => ringByDriverSh(g.driver, g.value, ethtool)).join('\n');
}

export function restoreRingsSh(rings: readonly RingGroup[], ethtool = ETHTOOL): string {
  return rings
    .map((g) =>
      g.restore === undefined
        ? `# ${g.driver}: the ring was already ${g.value} before dropkit: nothing to set back.`
        : `# ${g.driver}: back to ${g.restore}, the size before dropkit.\n${ringByDriverSh(g.driver, g.restore, ethtool)}`,
    )
    .join('\n');
}
