// The initial network namespace, reached from another one. Some sysctls exist
// only there (net.core.netdev_max_backlog, the NAPI budget): a container or a
// lab host has no /proc/sys file for them, although their values rule its
// traffic too. Root reaches them through `nsenter -t PID -n`: PID 1's
// namespace, or kthreadd's (PID 2) where PID 1's cannot be entered (a
// microVM's init). One probe, shared by the snapshot's sysctl source, which
// only reads, and by `repro compare`, which reads and sets
// (repro/mitigations/host-state.ts).

// POSIX sh: sets $ns to the PID whose network namespace can be entered (1 or
// 2), or to '' when neither can (not root, a PID namespace of its own, no
// nsenter). Run it as root: a user without root never gets in.
export const FIND_INIT_NETNS_SH = `ns=''
for t in 1 2; do
  [ "$t" = 2 ] && [ "$(cat /proc/2/comm 2>/dev/null)" != kthreadd ] && continue
  if nsenter -t "$t" -n true 2>/dev/null; then ns=$t; break; fi
done`;

// The prefix that runs a command there, once FIND_INIT_NETNS_SH set $ns.
export const IN_INIT_NETNS = 'nsenter -t "$ns" -n';

// How a person reads such a sysctl, as root, from inside the namespace.
export function initNetnsSysctlCommand(names: readonly string[]): string {
  return `nsenter -t 1 -n sysctl ${names.join(' ')}`;
}
