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
//
// PID 2 is tried only when it is kthreadd: in a PID namespace of its own, PID
// 2 is some process of the container. The shell reads its name (no fork).
const NOT_KTHREADD = `[ "$t" = 2 ] && { c=''; { read -r c < /proc/2/comm; } 2>/dev/null; [ "$c" != kthreadd ]; }`;

export const FIND_INIT_NETNS_SH = `ns=''
for t in 1 2; do
  ${NOT_KTHREADD} && continue
  if nsenter -t "$t" -n true 2>/dev/null; then ns=$t; break; fi
done`;

// POSIX sh: runs ARGS (shell words) in that namespace, trying PID 1's, then
// kthreadd's, and THEN (a statement) as soon as one ran them and they
// succeeded. For a single command, with no probe first: entering is tried
// with the command itself (the snapshot's sysctl source runs in every
// snapshot of a container or a lab host, where each exec counts). A failed
// attempt's stderr is dropped: it is expected where PID 1's namespace is out
// of reach and kthreadd's is not.
export function inInitNetnsSh(args: string, then: string): string {
  return `for t in 1 2; do
  ${NOT_KTHREADD} && continue
  nsenter -t "$t" -n ${args} 2>/dev/null && ${then}
done`;
}

// The prefix that runs a command there, once FIND_INIT_NETNS_SH set $ns.
export const IN_INIT_NETNS = 'nsenter -t "$ns" -n';

// How a person reads such a sysctl, as root, from inside the namespace.
export function initNetnsSysctlCommand(names: readonly string[]): string {
  return `nsenter -t 1 -n sysctl ${names.join(' ')}`;
}
