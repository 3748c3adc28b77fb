import { shellQuote } from '../../kit/shell-quote.js';
import type { SettingValue } from './settings.js';

// The scripts that write settings on a host: one to apply a variant, one to
// restore the originals. Both write a setting only when it differs (ethtool
// -G on an unchanged ring fails, and a write can disturb a NIC), then read it
// back and print `label<TAB>value`, and exit non-zero when a value read back
// is not the one wanted. Pure; every value has been checked for its shape
// (settings.ts) and is quoted anyway.

const HELPERS = `rc=0
rd() { if [ -n "$2" ]; then nsenter -t "$2" -n cat "$1"; else cat "$1"; fi; }
wr() { if [ -n "$3" ]; then nsenter -t "$3" -n sh -c 'printf "%s\\n" "$2" > "$1"' sh "$1" "$2"; else printf '%s\\n' "$2" > "$1"; fi; }
file() {
  [ "$(rd "$1" "$3" 2>/dev/null)" = "$2" ] || wr "$1" "$2" "$3" 2>/dev/null
  now=$(rd "$1" "$3" 2>/dev/null)
  printf '%s\\t%s\\n' "$4" "$now"
  [ "$now" = "$2" ] || rc=1
}
rx() { ethtool -g "$1" 2>/dev/null | awk '/^Current hardware settings/ { c = 1 } c && /^RX:/ { print $2; exit }'; }
ring() {
  [ "$(rx "$1")" = "$2" ] || ethtool -G "$1" rx "$2" >/dev/null 2>&1
  now=$(rx "$1")
  printf '%s\\t%s\\n' "$3" "$now"
  [ "$now" = "$2" ] || rc=1
}
`;

function line(s: SettingValue): string {
  const t = s.target;
  if (t.kind === 'ring')
    return `ring ${shellQuote(t.iface)} ${shellQuote(s.value)} ${shellQuote(s.label)}`;
  return `file ${shellQuote(t.path)} ${shellQuote(s.value)} ${shellQuote(String(t.ns ?? ''))} ${shellQuote(s.label)}`;
}

// The helpers and one line per setting, without the final exit: for scripts
// that do more around them (repro mitigate installs files first).
export function settingsBody(settings: readonly SettingValue[]): string {
  return `${HELPERS}${settings.map(line).join('\n')}\n`;
}

export function applyScript(settings: readonly SettingValue[]): string {
  return `${settingsBody(settings)}exit $rc\n`;
}

export interface RestoreScriptInput {
  runId: string;
  // `net:[…]`: the script refuses to run in any other network namespace.
  netns: string;
  generator: string;
  createdAt: string;
  originals: readonly SettingValue[];
}

// Written on the host before the first change. Run after each variant, in the
// final cleanup, by the host's guard when the connection is lost, or by
// `repro restore`. Exits 0 when every value reads back as it was.
export function restoreScript(o: RestoreScriptInput): string {
  // The comment's fields stay on their line whatever they hold.
  const one = (t: string) => t.replace(/[^\x20-\x7e]/g, '?');
  return `#!/bin/sh
# ${one(o.generator)}, run ${one(o.runId)}, ${one(o.createdAt)}: restores the settings that
# \`repro compare\` changed on this host, then reads each back (label<TAB>value).
# Exit 0: all are back as they were. Remove this file only after that.
[ "$(readlink /proc/self/ns/net 2>/dev/null)" = ${shellQuote(o.netns)} ] || { echo 'not the network namespace this script was written for' >&2; exit 3; }
${HELPERS}${o.originals.map(line).join('\n')}
exit $rc
`;
}

// What a script printed: the value each setting read back.
export function parseReadback(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of stdout.split('\n')) {
    const tab = l.indexOf('\t');
    if (tab > 0) out.set(l.slice(0, tab), l.slice(tab + 1).trim());
  }
  return out;
}

// The settings whose value read back is not the one wanted, as one line each.
export function mismatches(
  wanted: readonly SettingValue[],
  readback: Map<string, string>,
  same: (a: string, b: string) => boolean = (a, b) => a === b,
): string[] {
  return wanted.flatMap((s) => {
    const got = readback.get(s.label);
    if (got !== undefined && same(got, s.value)) return [];
    return [
      `${s.label} is ${got === undefined || got === '' ? 'unreadable' : got.slice(0, 64)}, not ${s.value}`,
    ];
  });
}
