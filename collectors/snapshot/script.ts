import { randomBytes } from 'node:crypto';
import { shellQuote } from '../../kit/shell-quote.js';
import { type CollectorSpec, renderSource } from '../spec.js';

// Builds the one POSIX sh script that takes a whole snapshot in a single
// exec. Works under dash and busybox sh: no arrays, no `local`, no bashisms.
// Each section is bounded by `timeout` when the host has it, records its exit
// code and timing, and keeps its stderr apart from the raw output.

export function newBoundary(): string {
  return `DKB-${randomBytes(16).toString('hex')}`;
}

// One clock read per section: a section starts when the previous one ended.
// Under bash 5 the clock is $EPOCHREALTIME (no fork); elsewhere `date`.
// stderr is not captured in a subshell (a fork per section): it goes to the
// exec's own stderr stream, framed with the same markers, and is matched
// back to its section (parseStderrFrames). A file read needs no `timeout`
// wrapper (procfs and /etc do not block): one fork for `cat`, nothing more.
const PRELUDE = `
T=''; command -v timeout >/dev/null 2>&1 && T=timeout
S=''; [ "$(id -u)" = 0 ] || S='sudo -n'
if [ -n "\${EPOCHREALTIME:-}" ]; then now() { _t=\${EPOCHREALTIME//[!0-9]/}000; }; else now() { _t=$(date +%s%N 2>/dev/null); }; fi
now
sec() {
  _id=$1; _if=$2; _to=$3; _root=$4; shift 4
  printf '%s begin %s %s %s\\n' "$B" "$_id" "$_if" "$_t"
  printf '%s begin %s %s\\n' "$B" "$_id" "$_if" >&2
  _p=''; [ "$_root" = 1 ] && _p=$S
  if [ "$_to" = 0 ]; then $_p "$@"; else $_p \${T:+$T $_to} "$@"; fi
  _rc=$?
  now
  printf '\\n%s end %s %s rc=%s ns=%s\\n' "$B" "$_id" "$_if" "$_rc" "$_t"
  printf '\\n%s end %s %s\\n' "$B" "$_id" "$_if" >&2
  return 0
}
`;

// Quotes an argument for the script, turning `{iface}` into "$i".
function arg(a: string): string {
  if (!a.includes('{iface}')) return shellQuote(a);
  return a
    .split('{iface}')
    .map((part) => (part ? shellQuote(part) : ''))
    .join('"$i"');
}

export function buildSnapshotScript(specs: readonly CollectorSpec[], boundary: string): string {
  const lines = [`B=${shellQuote(boundary)}`, PRELUDE.trim()];
  const line = (spec: CollectorSpec, iface: string) =>
    `sec ${shellQuote(spec.id)} ${iface} ${spec.source.kind === 'file' ? 0 : (spec.timeoutSec ?? 5)} ${spec.needsRoot ? 1 : 0} ${renderSource(spec, arg)}`;
  for (const spec of specs.filter((s) => s.scope === 'global')) lines.push(line(spec, '-'));
  const perIface = specs.filter((s) => s.scope === 'per-interface');
  if (perIface.length) {
    // Interfaces are expanded on the host, so one round trip covers them all.
    lines.push('for i in $(ls /sys/class/net 2>/dev/null); do');
    for (const spec of perIface) {
      const l = `  ${line(spec, '"$i"')}`;
      const guards = [
        ...(spec.skipLoopback ? ['[ "$i" = lo ] ||'] : []),
        ...(spec.devicesOnly ? ['[ ! -e "/sys/class/net/$i/device" ] ||'] : []),
      ];
      lines.push(guards.length ? `  ${guards.join(' ')} ${l.trim()}` : l);
    }
    lines.push('done');
  }
  lines.push('exit 0', '');
  const body = lines.join('\n');
  // The same body under bash when the host has bash 5 (one fork less per
  // section), else under whatever sh read this script (dash, busybox).
  return `if command -v bash >/dev/null 2>&1 && bash -c '[ -n "$EPOCHREALTIME" ]' 2>/dev/null; then exec bash -c ${shellQuote(body)}; fi\n${body}`;
}
