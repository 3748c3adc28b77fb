import { DropkitError } from '../../kit/errors.js';
import { stdoutText, type Transport } from '../../kit/transport/types.js';
import { packageVersion } from '../../kit/version.js';
import { mismatches, parseReadback } from '../mitigations/host-script.js';
import type { FixPlan, GeneratedFile } from '../persist/types.js';
import {
  applyHostScript,
  type HostChanges,
  hostChanges,
  inspectScript,
  parseInspect,
  RECORD_DIR,
  rollbackScript,
} from './host-apply.js';

// `repro mitigate --apply` and `--rollback` on one host, over its open
// connection, as root (sudo -n when the login is not root). A dry run reads
// only. The apply is one script that writes its own rollback first and runs
// it on any failure, Ctrl-C or lost connection (tied to the connection).

export type HostOutcome =
  | { host: string; status: 'dry-run' | 'nothing' | 'refused'; changes: HostChanges }
  | {
      host: string;
      status: 'applied';
      changes: HostChanges;
      record: string;
      readback: Map<string, string>;
    }
  | {
      host: string;
      status: 'rolled-back' | 'nothing-recorded';
      readback: Map<string, string>;
      removed: string[];
    }
  | { host: string; status: 'rollback-dry-run'; recorded: string[] };

export async function applyOnHost(
  t: Transport,
  o: { files: readonly GeneratedFile[]; plan: FixPlan; yes: boolean; signal: AbortSignal },
): Promise<HostOutcome> {
  const host = t.info.name;
  const installed = o.files.flatMap((f) => (f.installTo ? [f.installTo] : []));
  const drivers = [...new Set(o.plan.ring.flatMap((r) => (r.driver ? [r.driver] : [])))];
  const r = await t.exec({
    script: inspectScript({
      files: installed,
      sysctls: o.plan.sysctls.map((s) => s.name),
      drivers,
    }),
    root: true,
    step: 'mitigate: read the host',
    timeoutMs: 30_000,
    signal: o.signal,
  });
  if (r.exitCode !== 0) throw failed(host, 'mitigate: read the host', r.stderr, r.exitCode);
  const ins = parseInspect(stdoutText(r));
  const changes = hostChanges(o.files, o.plan, ins);
  if (changes.problems.length) return { host, status: 'refused', changes };
  if (!changes.files.length && !changes.settings.length)
    return { host, status: 'nothing', changes };
  if (!o.yes) return { host, status: 'dry-run', changes };
  if (!ins.netns) throw failed(host, 'mitigate: read the host', 'no network namespace id', 1);
  const record = `${RECORD_DIR}/mitigate-${ins.netns.replace(/\D/g, '')}.sh`;
  const rollback = rollbackScript({
    netns: ins.netns,
    generator: `dropkit ${packageVersion()}`,
    createdAt: new Date().toISOString(),
    files: changes.files.map((f) => ({ path: f.path, sha: f.sha })),
    originals: changes.originals,
  });
  const a = await t.exec({
    script: applyHostScript({ record, rollback, changes }),
    root: true,
    tied: true,
    step: 'mitigate: apply',
    timeoutMs: 60_000,
    signal: o.signal,
  });
  const readback = parseReadback(stdoutText(a));
  if (a.exitCode !== 0 || !stdoutText(a).includes('committed')) {
    const bad = mismatches(changes.settings, readback);
    throw failed(
      host,
      'mitigate: apply',
      [...bad, a.stderr.trim()].filter(Boolean).join('; ') || `exit ${a.exitCode ?? a.signal}`,
      a.exitCode,
      'nothing stays changed: the host ran its rollback',
    );
  }
  return { host, status: 'applied', changes, record, readback };
}

export async function rollbackOnHost(
  t: Transport,
  o: { yes: boolean; signal: AbortSignal },
): Promise<HostOutcome> {
  const host = t.info.name;
  const step = 'mitigate: roll back';
  const script = `id=$(readlink /proc/self/ns/net 2>/dev/null | tr -cd 0-9); rec=${RECORD_DIR}/mitigate-$id.sh
[ -f "$rec" ] || { echo none; exit 0; }
${o.yes ? 'sh "$rec" && rm -f "$rec" && echo rolled-back' : 'echo recorded; cat "$rec"'}`;
  const r = await t.exec({ script, root: true, step, timeoutMs: 60_000, signal: o.signal });
  const out = stdoutText(r);
  if (r.exitCode !== 0)
    throw failed(
      host,
      step,
      r.stderr,
      r.exitCode,
      'the rollback script stays on the host: run it again once the cause is fixed',
    );
  if (/^none$/m.test(out))
    return { host, status: 'nothing-recorded', readback: new Map(), removed: [] };
  // A dry run shows what the recorded script would undo: its file and setting lines.
  if (!o.yes)
    return {
      host,
      status: 'rollback-dry-run',
      recorded: out.split('\n').flatMap(recordedLine),
    };
  const readback = parseReadback(out);
  readback.delete('removed');
  const removed = out.split('\n').flatMap((l) => (l.startsWith('removed\t') ? [l.slice(8)] : []));
  return { host, status: 'rolled-back', readback, removed };
}

// A line of the recorded rollback, as a person reads it (the script's own
// lines are `file PATH VALUE NS LABEL`, `ring IFACE VALUE LABEL`, `unput PATH SHA`).
function recordedLine(line: string): string[] {
  const words = [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replaceAll("'\\''", "'") : m[2]!,
  );
  const [verb, a, b, c, d] = words;
  if (verb === 'unput') return [`remove ${a} (unless changed since)`];
  if (verb === 'file' && d) return [`set ${d} back to ${b}`];
  if (verb === 'ring' && c) return [`set ${c} back to ${b}`];
  return [];
}

function failed(
  host: string,
  step: string,
  stderr: string,
  code: number | null,
  hint?: string,
): DropkitError {
  return new DropkitError({
    code: 'COMMAND_FAILED',
    message: stderr.trim().split('\n').slice(0, 3).join('; ') || `exit ${code}`,
    host,
    step,
    ...(hint ? { hint } : {}),
  });
}
