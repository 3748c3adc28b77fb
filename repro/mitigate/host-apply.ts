import { createHash } from 'node:crypto';
import { FIND_INIT_NETNS_SH, IN_INIT_NETNS } from '../../collectors/init-netns.js';
import { shellQuote } from '../../kit/shell-quote.js';
import { settingsBody } from '../mitigations/host-script.js';
import { isPlainNumber, type SettingValue } from '../mitigations/settings.js';
import { ringTarget } from '../persist/ring-target.js';
import { MARK } from '../persist/text.js';
import type { FixPlan, GeneratedFile } from '../persist/types.js';

// `repro mitigate --apply` on one plain Linux host: what is there now (one
// read-only script), what would change, and the one script that changes it
// and, before anything, writes the script that undoes it. The host keeps
// that rollback at RECORD_DIR; `--rollback` runs it. Pure: builders and
// parsers only.

// Persistent, as the files it undoes (/run is cleared at boot).
export const RECORD_DIR = '/var/lib/dropkit';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface Inspected {
  netns: string;
  // The rollback script of an earlier apply, if one is on the host.
  record?: string;
  // By path: absent, foreign (not dropkit's), package (a package owns it),
  // or dropkit's with this sha256.
  files: Map<string, { state: 'absent' | 'foreign' | 'package' } | { state: 'ours'; sha: string }>;
  // By sysctl name: the value, and the PID through whose network namespace
  // it is reached when not visible here.
  sysctls: Map<string, { value: string; ns?: 1 | 2 }>;
  // NICs whose driver a ring fix names: the ring as `ethtool -g` reads it.
  rings: Array<{ iface: string; driver: string; current: number; max: number }>;
}

function sysctlPath(name: string): string {
  return `/proc/sys/${name.replaceAll('.', '/')}`;
}

// Read-only: `key<TAB>…` lines.
export function inspectScript(o: {
  files: readonly string[];
  sysctls: readonly string[];
  drivers: readonly string[];
}): string {
  const q = (xs: readonly string[]) => xs.map(shellQuote).join(' ');
  return `p() { printf '%s\\t%s\\n' "$1" "$2"; }
n=$(readlink /proc/self/ns/net 2>/dev/null); p netns "$n"
id=$(printf '%s' "$n" | tr -cd 0-9); rec=${RECORD_DIR}/mitigate-$id.sh
[ -f "$rec" ] && p record "$rec"
${FIND_INIT_NETNS_SH}
for f in ${q(o.files)}; do
  if dpkg-query -S "$f" >/dev/null 2>&1 || rpm -qf "$f" >/dev/null 2>&1; then p file "$f	package"
  elif [ ! -e "$f" ] && [ ! -L "$f" ]; then p file "$f	absent"
  elif [ -L "$f" ] || [ ! -f "$f" ]; then p file "$f	foreign"
  else
    IFS= read -r first < "$f" || true
    case "$first" in *${shellQuote(MARK)}*) p file "$f	ours $(sha256sum < "$f" | cut -d' ' -f1)" ;; *) p file "$f	foreign" ;; esac
  fi
done
for s in ${q(o.sysctls)}; do
  f=/proc/sys/$(printf '%s' "$s" | tr . /)
  if [ -e "$f" ]; then p sysctl "$s	-	$(cat "$f" 2>/dev/null)"
  elif [ -n "$ns" ] && v=$(${IN_INIT_NETNS} cat "$f" 2>/dev/null); then p sysctl "$s	$ns	$v"
  fi
done
for d in /sys/class/net/*; do
  [ -L "$d/device/driver" ] || continue
  i=\${d##*/}; drv=$(readlink "$d/device/driver"); drv=\${drv##*/}
  case " ${o.drivers.join(' ')} " in *" $drv "*) ;; *) continue ;; esac
  g=$(ethtool -g "$i" 2>/dev/null) || continue
  printf '%s\\n' "$g" | awk -v i="$i" -v d="$drv" '/^Pre-set maximums/ { s = "m" } /^Current hardware settings/ { s = "c" } /^RX:/ { v[s] = $2 } END { if (v["m"] != "" && v["c"] != "") printf "ring\\t%s\\t%s\\t%s\\t%s\\n", i, d, v["c"], v["m"] }'
done
`;
}

// Only values of the expected shape are kept: the host may be compromised.
export function parseInspect(stdout: string): Inspected {
  const out: Inspected = { netns: '', files: new Map(), sysctls: new Map(), rings: [] };
  for (const line of stdout.split('\n')) {
    const [key, ...f] = line.split('\t');
    if (key === 'netns' && /^net:\[\d+\]$/.test(f[0] ?? '')) out.netns = f[0]!;
    else if (key === 'record' && /^\/var\/lib\/dropkit\/mitigate-\d+\.sh$/.test(f[0] ?? ''))
      out.record = f[0]!;
    else if (key === 'file' && f[0]?.startsWith('/')) {
      const [state, sha] = (f[1] ?? '').split(' ');
      if (state === 'ours' && /^[0-9a-f]{64}$/.test(sha ?? ''))
        out.files.set(f[0], { state: 'ours', sha: sha! });
      else if (state === 'absent' || state === 'foreign' || state === 'package')
        out.files.set(f[0], { state });
    } else if (key === 'sysctl' && f[0] && isPlainNumber(f[2] ?? '')) {
      const ns = f[1] === '1' ? 1 : f[1] === '2' ? 2 : undefined;
      out.sysctls.set(f[0], { value: f[2]!, ...(ns ? { ns } : {}) });
    } else if (
      key === 'ring' &&
      /^[A-Za-z0-9_.@:-]{1,15}$/.test(f[0] ?? '') &&
      isPlainNumber(f[2] ?? '') &&
      isPlainNumber(f[3] ?? '')
    )
      out.rings.push({
        iface: f[0]!,
        driver: f[1] ?? '',
        current: Number(f[2]),
        max: Number(f[3]),
      });
  }
  return out;
}

export interface HostChanges {
  // Files to write (new, or dropkit's with other content).
  files: Array<{ path: string; content: string; sha: string; fresh: boolean }>;
  // The new values, and the values they replace (what the rollback restores).
  settings: SettingValue[];
  originals: SettingValue[];
  // Already as wanted: nothing to do for them.
  same: string[];
  // What stops the apply on this host (nothing is changed then).
  problems: string[];
}

export function hostChanges(
  files: readonly GeneratedFile[],
  plan: FixPlan,
  ins: Inspected,
): HostChanges {
  const out: HostChanges = { files: [], settings: [], originals: [], same: [], problems: [] };
  for (const f of files) {
    if (!f.installTo) continue;
    const sha = sha256Hex(f.content);
    const now = ins.files.get(f.installTo);
    if (!now) out.problems.push(`${f.installTo}: could not be read`);
    else if (now.state === 'foreign')
      out.problems.push(`${f.installTo} is there and dropkit did not write it: left alone`);
    else if (now.state === 'package')
      out.problems.push(`${f.installTo} belongs to a package: left alone`);
    else if (now.state === 'ours' && now.sha === sha) out.same.push(`${f.installTo} (installed)`);
    else
      out.files.push({ path: f.installTo, content: f.content, sha, fresh: now.state === 'absent' });
  }
  for (const s of plan.sysctls) {
    const now = ins.sysctls.get(s.name);
    if (!now) {
      out.problems.push(
        `${s.name} is not visible on this host (nor through the initial network namespace)`,
      );
      continue;
    }
    // Never lowered: a host already above the fix keeps its value.
    if (Number(now.value) >= s.target) {
      out.same.push(`${s.name} = ${now.value}`);
      continue;
    }
    const target = {
      kind: 'file' as const,
      path: sysctlPath(s.name),
      ...(now.ns ? { ns: now.ns } : {}),
    };
    out.settings.push({ label: s.name, target, value: String(s.target) });
    out.originals.push({ label: s.name, target, value: now.value });
  }
  for (const r of plan.ring) {
    const nics = ins.rings.filter((n) => n.driver === r.driver);
    if (!nics.length)
      out.problems.push(`no ${r.driver ?? '?'} NIC with a readable ring on this host`);
    for (const n of nics) {
      const want = ringTarget({ ...r, iface: n.iface, current: n.current, max: n.max }).value;
      const label = `${n.iface} rx ring`;
      if (n.current >= want) {
        out.same.push(`${label} = ${n.current}`);
        continue;
      }
      const target = { kind: 'ring' as const, iface: n.iface };
      out.settings.push({ label, target, value: String(want) });
      out.originals.push({ label, target, value: String(n.current) });
    }
  }
  if (ins.record && (out.files.length || out.settings.length))
    out.problems.push(
      `an earlier repro mitigate is recorded on this host (${ins.record}): roll it back first (--rollback)`,
    );
  return out;
}

const UNPUT = `unput() {
  [ -e "$1" ] || return 0
  if [ "$(sha256sum < "$1" | cut -d' ' -f1)" = "$2" ]; then rm -f "$1" && printf 'removed\\t%s\\n' "$1"
  else echo "kept $1: changed since dropkit wrote it" >&2; rc=1; fi
}`;

// Undoes one apply: the files it wrote (while unchanged since) and the values
// it changed. Bound to the network namespace it was written for.
export function rollbackScript(o: {
  netns: string;
  generator: string;
  createdAt: string;
  files: ReadonlyArray<{ path: string; sha: string }>;
  originals: readonly SettingValue[];
}): string {
  const one = (t: string) => t.replace(/[^\x20-\x7e]/g, '?');
  const udev = o.files.some((f) => f.path.startsWith('/etc/udev/'));
  return `#!/bin/sh
# ${one(o.generator)}, ${one(o.createdAt)}: rolls back \`repro mitigate --apply\` on this host:
# removes the files it wrote (unless changed since) and sets the values back.
[ "$(readlink /proc/self/ns/net 2>/dev/null)" = ${shellQuote(o.netns)} ] || { echo 'not the network namespace this script was written for' >&2; exit 3; }
${UNPUT}
${settingsBody(o.originals)}${o.files.map((f) => `unput ${shellQuote(f.path)} ${f.sha}`).join('\n')}
${udev ? 'command -v udevadm >/dev/null 2>&1 && udevadm control --reload 2>/dev/null\n' : ''}exit $rc
`;
}

// Writes the rollback first, then the files, then the values; reads each
// back. Any failure, or SIGINT/TERM/HUP (Ctrl-C, a lost connection), runs
// the rollback: nothing is left half-applied. Prints `committed` last.
export function applyHostScript(o: {
  record: string;
  rollback: string;
  changes: HostChanges;
}): string {
  const files = o.changes.files
    .map(
      (f) =>
        `put ${shellQuote(f.path)} ${f.sha} ${shellQuote(Buffer.from(f.content, 'utf8').toString('base64'))} || { undo; exit 1; }`,
    )
    .join('\n');
  const udev = o.changes.files.some((f) => f.path.startsWith('/etc/udev/'));
  return `umask 022
mkdir -p ${RECORD_DIR} && [ -d ${RECORD_DIR} ] && [ ! -L ${RECORD_DIR} ] || { echo 'cannot use ${RECORD_DIR}' >&2; exit 3; }
rec=${shellQuote(o.record)}; tmp="$rec.pending"
printf '%s' ${shellQuote(Buffer.from(o.rollback, 'utf8').toString('base64'))} | base64 -d > "$tmp" && chmod 700 "$tmp" || { rm -f "$tmp"; echo 'cannot write the rollback' >&2; exit 3; }
undo() { sh "$tmp" >/dev/null 2>&1; rm -f "$tmp"; }
trap 'undo; exit 130' INT TERM HUP
put() {
  d=\${1%/*}
  [ -d "$d" ] || { echo "no directory $d" >&2; return 1; }
  printf '%s' "$3" | base64 -d > "$1.dropkit-new" && chmod 644 "$1.dropkit-new" && mv -f "$1.dropkit-new" "$1" || { rm -f "$1.dropkit-new"; return 1; }
  [ "$(sha256sum < "$1" | cut -d' ' -f1)" = "$2" ] || { echo "$1 does not read back as written" >&2; return 1; }
  printf 'installed\\t%s\\n' "$1"
}
${files}
${udev ? 'command -v udevadm >/dev/null 2>&1 && udevadm control --reload 2>/dev/null\n' : ''}${settingsBody(o.changes.settings)}[ "$rc" = 0 ] || { undo; exit 1; }
mv -f "$tmp" "$rec" || { undo; exit 1; }
trap - INT TERM HUP
echo committed
`;
}
