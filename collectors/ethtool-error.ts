// ethtool reports failures on stderr, and the probe captures stderr and stdout together, so the
// error text sits between normal lines. Seen forms: `Cannot get device channel parameters`
// then `: Operation not supported` on its own line (ethtool_l error fixture),
// `Cannot get device ring settings: Operation not supported`, `netlink error: ...`,
// `no stats available` (ethtool -S on a driver without stats).
const ERROR_TEXT = [
  'cannot get',
  'cannot set',
  'not supported',
  'no such device',
  'no stats available',
  'netlink error',
  'permission denied',
  'operation not permitted',
  'does not exist',
];

export function isEthtoolErrorLine(line: string): boolean {
  const t = line.trim().toLowerCase();
  if (t.startsWith(': ')) return true;
  return ERROR_TEXT.some((e) => t.includes(e));
}
