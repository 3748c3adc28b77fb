import type { CheckedPlan } from './checked-plan.js';
import { restoreRingsSh } from './nic-loop.js';
import { hashComments, MARK } from './text.js';
import type { GeneratedFile } from './types.js';

// rollback.sh for the platforms whose files sit on the host as-is. It removes
// exactly the files dropkit wrote, and only while their first line still
// carries dropkit's mark (a file someone rewrote is theirs now), then sets the
// sysctls and the rings back to the values recorded before dropkit.

export interface RollbackSpec {
  files: readonly string[]; // absolute paths on the host
  before?: readonly string[]; // shell lines run first (e.g. switching a TuneD profile back)
  after?: readonly string[]; // shell lines run once the files are gone
  rings?: boolean; // set the rings back (false when another tool restores them)
  usage?: string;
}

export function rollbackScript(
  plan: CheckedPlan,
  spec: RollbackSpec,
  path = 'rollback.sh',
): string {
  const lines = [
    '#!/bin/sh',
    hashComments([
      `${MARK}: undoes the files next to it. Run as root: sh ${path}${spec.usage ? ` ${spec.usage}` : ''}`,
    ]),
    'set -eu',
    `MARK='${MARK}'`,
    'remove_ours() {',
    '  [ -e "$1" ] || return 0',
    '  first=',
    '  IFS= read -r first < "$1" || true',
    '  case "$first" in',
    '  *"$MARK"*) rm -f -- "$1" && echo "removed $1" ;;',
    '  *) echo "kept $1: its first line no longer says $MARK" >&2 ;;',
    '  esac',
    '}',
    ...(spec.before ?? []),
    ...spec.files.map((f) => `remove_ours ${f}`),
    ...(spec.after ?? []),
    ...sysctlRestore(plan),
    ...(spec.rings === false || !plan.rings.length ? [] : [restoreRingsSh(plan.rings)]),
    'echo "dropkit rollback done"',
  ];
  return `${lines.join('\n')}\n`;
}

function sysctlRestore(plan: CheckedPlan): string[] {
  return plan.sysctls.map((s) =>
    s.current === undefined
      ? `# ${s.name}: the value before dropkit is unknown; the distribution's value returns at the next boot.`
      : `sysctl -w ${s.name}=${s.current} >/dev/null && echo "${s.name} = ${s.current}" || echo "dropkit: sysctl -w ${s.name}=${s.current} failed" >&2`,
  );
}

export function rollbackFile(
  plan: CheckedPlan,
  spec: RollbackSpec,
  path = 'rollback.sh',
): GeneratedFile {
  return {
    path,
    content: rollbackScript(plan, spec, path),
    what: 'removes the files above (only while they carry dropkit’s header) and sets the values back',
    apply: [
      `sh ${path}${spec.usage ? ` ${spec.usage}` : ''}   # as root on each host, to undo the files above`,
    ],
    executable: true,
  };
}
