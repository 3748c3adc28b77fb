import { randomBytes } from 'node:crypto';
import { execBashLine } from '../../kit/bash-handoff.js';
import { shellQuote } from '../../kit/shell-quote.js';
import { type CollectorSpec, timeoutOf } from '../spec.js';
import { laneSplit } from './lanes.js';

// Builds the one script that takes a whole snapshot in a single exec. The
// body is a list of `sec` calls; two preludes define `sec`: a fast one for
// bash 5 and a POSIX one for dash and busybox (no arrays, no `local`, no
// bashisms). Each section is bounded in time, records its exit code and
// timing, and keeps its stderr apart from the raw output.
//
//   sec ID IFACE TIMEOUT ROOT KIND ARG...
//     KIND f: ARG is a file to read; c: ARG... is a command; s: ARG is a
//     POSIX sh fragment. TIMEOUT 0 means unbounded (file reads: procfs, sysfs
//     and /etc do not block).

export function newBoundary(): string {
  return `DKB-${randomBytes(16).toString('hex')}`;
}

// Frames, shared by both preludes. One clock read per section: a section
// starts when the previous one ended. stderr is not captured in a subshell (a
// fork per section): it goes to the exec's own stderr stream, framed with the
// same markers, and is matched back to its section (parseStderrFrames).
const FRAMES = `
begin() {
  printf '%s begin %s %s %s\\n' "$B" "$_id" "$_if" "$_t"
  printf '%s begin %s %s\\n' "$B" "$_id" "$_if" >&2
}
end() {
  printf '\\n%s end %s %s rc=%s ns=%s\\n' "$B" "$_id" "$_if" "$_rc" "$_t"
  printf '\\n%s end %s %s\\n' "$B" "$_id" "$_if" >&2
}
`;

// dash, busybox: `timeout` around each command, `cat` for each file, `date`
// for the clock when there is no $EPOCHREALTIME.
const POSIX_PRELUDE = `
T=''; command -v timeout >/dev/null 2>&1 && T=timeout
S=''; [ "$(id -u)" = 0 ] || S='sudo -n'
if [ -n "\${EPOCHREALTIME:-}" ]; then now() { _t=\${EPOCHREALTIME//[!0-9]/}000; }; else now() { _t=$(date +%s%N 2>/dev/null); }; fi
lane() { "$@"; }
join() { :; }
sec() {
  _id=$1; _if=$2; _to=$3; _root=$4; _k=$5; shift 5
  begin
  _p=''; [ "$_root" = 1 ] && _p=$S
  case $_k in
    f) $_p cat "$1" ;;
    s) $_p \${T:+$T $_to} sh -c "$1" ;;
    *) $_p \${T:+$T $_to} "$@" ;;
  esac
  _rc=$?
  now
  end
  return 0
}
`;

// bash: no fork at all for file reads, one fork per command and none for
// `timeout`. A fork plus exec costs 1 to 5 ms on a small VM, and `timeout`
// doubled that for every command.
// - Files: mapfile keeps every byte of procfs and sysfs text files (they
//   hold no NUL). Any other file (/etc) is split on NULs instead, so that one
//   is seen: mapfile would drop it and the rest of its line, so such a file,
//   or one that is not a regular file, is copied by `cat` (a NUL as the very
//   last byte goes unseen).
// - Commands: one watchdog, started once, bounds each section: it is told
//   "PID DEADLINE" and kills the section's process group when the deadline
//   passes (set -m gives each background job its own group, as timeout(1)
//   does). The watchdog exits when the script does (EOF on its pipe). A
//   section it killed reports 124, as under timeout(1).
//
// bash, also: the per-interface sections (and as many host-wide ones as keep
// the lanes even, lanes.ts) run in a second lane, beside the rest (two cores
// on the smallest VMs; on a Kubernetes node the veths alone are hundreds of
// ethtool calls), with its own watchdog. The lane writes to two files in
// /dev/shm, unlinked once both ends are open (by the lane as it starts: the
// main lane does not wait for that `rm`), so nothing is left behind even if
// the script is killed; the main lane copies them out at the end, stdout
// frames then stderr frames.
// - /dev/shm is world-writable and the name is guessable (the tag shows in
//   `ps`): the files go in a directory made by `mkdir -m 700`, which fails
//   on anything planted there (a symlink, a FIFO). Then, or without a
//   writable /dev/shm, there is one lane.
// - A lane that could not write all its output (a full /dev/shm: its final
//   marker fails too) is discarded and run again in the main lane.
// - The main lane copies a lane's output with mapfile when it is small (up
//   to 64 KiB: the write position of the descriptor the main lane keeps to
//   its file, in /proc/self/fdinfo) and holds no NUL, and with cat
//   otherwise: cat is a fork and an exec, the last step of every snapshot
//   (5 ms on a small VM), where mapfile of 64 KiB takes about as long and of
//   a few KiB nothing. The output always ends with the lane's end marker, so
//   a NUL in it always splits it (mapfile -d ''); cat then copies it whole,
//   through a second descriptor still at its start.
const BASH_PRELUDE = `
S=''; [ "$EUID" = 0 ] || S='sudo -n'
now() { _t=\${EPOCHREALTIME//[!0-9]/}000; }
rd() { mapfile _a < "$1" && printf %s "\${_a[@]}"; }
rf() {
  [ -f "$1" ] || { cat "$1"; return; }
  mapfile -d '' _a < "$1" || return
  if [ "\${#_a[@]}" -gt 1 ]; then cat "$1"; else printf %s "\${_a[0]-}"; fi
}
wd() {
  _c=''
  while :; do
    if [ -z "$_c" ]; then read -r _c _d || exit 0; [ "$_c" = - ] && _c=''; continue; fi
    _n=\${EPOCHREALTIME//[!0-9]/}
    if [ "$_n" -ge "$_d" ]; then kill -TERM -- "-$_c" || kill -TERM "$_c"; _c=''; continue; fi
    _r=$((_d - _n))
    printf -v _w '%d.%06d' $((_r / 1000000)) $((_r % 1000000))
    if read -r -t "$_w" _x _y; then _c=$_x; _d=$_y; [ "$_c" = - ] && _c=''
    elif [ $? -le 128 ]; then exit 0; fi
  done
}
exec {W}> >(wd >/dev/null 2>&1)
set -m
lane() {
  _ld=/dev/shm/.dropkit-\${DROPKIT_TAG:-0}-$$
  if [ -d /dev/shm ] && [ -w /dev/shm ] && mkdir -m 700 "$_ld" 2>/dev/null; then
    exec {WO}>>"$_ld/o" {WE}>>"$_ld/e" {LO}<"$_ld/o" {LC}<"$_ld/o" {LE}<"$_ld/e"
    _ln=$1
    (
      rm -rf "$_ld"
      exec {W}>&- {W}> >(wd >/dev/null 2>&1)
      set -m
      "$@"
      printf '%s lane-end\n' "$B" && printf '%s lane-end\n' "$B" >&2
    ) >&$WO 2>&$WE {LO}<&- {LC}<&- {LE}<&- &
    _lp=$!
    exec {WE}>&-
  else
    "$@"
  fi
}
join() {
  [ -n "\${_lp:-}" ] || return 0
  if wait "$_lp" 2>/dev/null; then
    _sz=; { read -r _ _sz <"/proc/self/fdinfo/$WO"; } 2>/dev/null
    if [ "\${_sz:-x}" -le 65536 ] 2>/dev/null && mapfile -d '' -u $LO _o && [ "\${#_o[@]}" -le 1 ]; then
      printf %s "\${_o[0]-}"
    else
      cat <&$LC
    fi
    mapfile -u $LE _e && printf %s "\${_e[@]}" >&2
    exec {WO}>&- {LO}<&- {LC}<&- {LE}<&-
  else
    exec {WO}>&- {LO}<&- {LC}<&- {LE}<&-
    "$_ln"
  fi
}
sec() {
  _id=$1; _if=$2; _to=$3; _root=$4; _k=$5; shift 5
  begin
  _p=''; [ "$_root" = 1 ] && _p=$S
  _t0=$_t
  if [ "$_k" = f ] && [ -z "$_p" ]; then
    case $1 in /proc/* | /sys/*) rd "$1" ;; *) rf "$1" ;; esac
    _rc=$?
  else
    if [ "$_k" = s ] && [ -z "$_p" ]; then (eval "$1") </dev/null {W}>&- &
    elif [ "$_k" = s ]; then $_p sh -c "$1" </dev/null {W}>&- &
    elif [ "$_k" = f ]; then $_p cat "$1" </dev/null {W}>&- &
    else $_p "$@" </dev/null {W}>&- &
    fi
    _c=$!
    [ "$_to" = 0 ] || echo "$_c $((\${_t%000} + _to * 1000000))" >&$W
    wait "$_c" 2>/dev/null
    _rc=$?
    [ "$_to" = 0 ] || echo - >&$W
  fi
  now
  [ "$_rc" -gt 128 ] && [ "$_to" != 0 ] && [ $(((_t - _t0) / 1000)) -ge $((_to * 1000000)) ] && _rc=124
  end
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

function sourceArgs(spec: CollectorSpec): string {
  const s = spec.source;
  if (s.kind === 'file') return `f ${arg(s.path)}`;
  if (s.kind === 'command') return `c ${s.argv.map(arg).join(' ')}`;
  return `s ${shellQuote(s.sh)}`;
}

// `covered`: per source id, the interfaces it is not run on (an earlier
// snapshot of the run read them once: taken-once.ts).
export function snapshotBody(
  specs: readonly CollectorSpec[],
  covered: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): string {
  const line = (spec: CollectorSpec, iface: string) =>
    `sec ${shellQuote(spec.id)} ${iface} ${spec.source.kind === 'file' ? 0 : timeoutOf(spec)} ${spec.needsRoot ? 1 : 0} ${sourceArgs(spec)}`;
  const globals = specs.filter((s) => s.scope === 'global');
  const perIface = specs.filter((s) => s.scope === 'per-interface');
  if (!perIface.length)
    return [...globals.map((g) => line(g, '-')), 'join', 'exit 0', ''].join('\n');
  // The second lane: every interface, then as many of the last host-wide
  // sources as keep the lanes even (lanes.ts). Under a POSIX sh it simply
  // runs first.
  const split = laneSplit(globals, perIface);
  // Interfaces are expanded on the host, so one round trip covers them all.
  const second = ['for d in /sys/class/net/*; do', '  [ -e "$d" ] || continue', `  i=\${d##*/}`];
  // w=0: a software interface whose kernel counters show no drop (spec.ts
  // softwareOnlyWithDrops). Two reads by the shell, no fork.
  if (perIface.some((s) => s.softwareOnlyWithDrops))
    second.push(
      '  w=1; [ -e "$d/device" ] || { w=0; for c in rx_dropped tx_dropped; do read -r v < "$d/statistics/$c" && [ "$v" != 0 ] && w=1; done; } 2>/dev/null',
    );
  for (const spec of perIface) {
    const l = `  ${line(spec, '"$i"')}`;
    const guards = [
      ...(spec.skipLoopback ? ['[ "$i" = lo ] ||'] : []),
      ...(spec.devicesOnly ? ['[ ! -e "/sys/class/net/$i/device" ] ||'] : []),
      ...(spec.softwareOnlyWithDrops ? ['[ "$w" = 0 ] ||'] : []),
    ];
    const run = guards.length ? `  ${guards.join(' ')} ${l.trim()}` : l;
    const skip = [...(covered.get(spec.id) ?? [])];
    // Quoted patterns match literally, whatever the name holds.
    second.push(
      skip.length
        ? `  case "$i" in ${skip.map(shellQuote).join('|')}) ;; *) ${run.trim()} ;; esac`
        : run,
    );
  }
  second.push('done');
  const main: string[] = [];
  globals.forEach((g, i) => {
    const moves = split.inSecond(i);
    if (moves) second.push(`${moves} && ${line(g, '-')}`);
    main.push(moves ? `${moves} || ${line(g, '-')}` : line(g, '-'));
  });
  return [
    ...split.sh,
    'lane2() {',
    ...second,
    '}',
    'lane lane2',
    ...main,
    'join',
    'exit 0',
    '',
  ].join('\n');
}

// `bash: false` gives the POSIX script alone (tests run it under dash and
// busybox on a machine that has bash).
export function buildSnapshotScript(
  specs: readonly CollectorSpec[],
  boundary: string,
  opts: { bash?: boolean; covered?: ReadonlyMap<string, ReadonlySet<string>> } = {},
): string {
  const body = snapshotBody(specs, opts.covered);
  const head = `B=${shellQuote(boundary)}\n${FRAMES.trim()}\n`;
  const posix = `${head}${POSIX_PRELUDE.trim()}\nnow\n${body}`;
  if (opts.bash === false) return posix;
  // bash 5 ($EPOCHREALTIME) when the host has it; an older bash runs the
  // POSIX prelude. Without bash, whatever sh read this script.
  const bash = `${head}if [ -n "\${EPOCHREALTIME:-}" ]; then\n${BASH_PRELUDE.trim()}\nelse\n${POSIX_PRELUDE.trim()}\nfi\nnow\n${body}`;
  // $0 names the script in the shell's own error messages.
  return `${execBashLine(bash, 'dropkit-snapshot')}${posix}`;
}
