import { randomBytes } from 'node:crypto';
import { stdoutText, type Transport } from '../../kit/transport/types.js';
import { packageVersion } from '../../kit/version.js';
import { parseReadback, restoreScript } from './host-script.js';
import { type LocalRecord, removeLocalRecord } from './local-record.js';
import { RESTORE_DIR } from './restore-paths.js';

// `repro restore`: what earlier comparisons left on a host. Each restore
// script of this host's network namespace runs (and is removed when every
// value read back as it was); each log its guard left is shown and removed.
// A record on this machine whose script is gone from the host is run from
// the record, which restores what is still changed and verifies the rest.

export interface Restored {
  // The script's file name, or `record <file>` when run from this machine's copy.
  source: string;
  ok: boolean;
  // label → value read back.
  values: Map<string, string>;
  // When not ok: the script's own words, cut short.
  detail?: string;
}

export interface LeftoverReport {
  host: string;
  restored: Restored[];
  // The host's guard restored by itself when the connection was lost.
  guardLogs: Array<{ file: string; text: string }>;
}

function leftoversScript(b: string): string {
  return `n=$(readlink /proc/self/ns/net 2>/dev/null | tr -cd 0-9)
for f in ${RESTORE_DIR}/*-"$n".sh; do
  [ -f "$f" ] || continue
  o=$(sh "$f" 2>&1); rc=$?
  printf '%s script %s %s\\n%s\\n' ${b} "\${f##*/}" "$rc" "$o"
  [ "$rc" = 0 ] && rm -f "$f"
done
for f in ${RESTORE_DIR}/*-"$n".log; do
  [ -f "$f" ] || continue
  printf '%s log %s 0\\n' ${b} "\${f##*/}"; head -c 4096 "$f"; echo
  rm -f "$f"
done
exit 0
`;
}

interface Frame {
  kind: string;
  file: string;
  rc: string;
  body: string;
}

function frames(out: string, b: string): Frame[] {
  const parts = out.split(`${b} `).slice(1);
  return parts.flatMap((p) => {
    const nl = p.indexOf('\n');
    const [kind, file, rc] = p.slice(0, nl < 0 ? p.length : nl).split(' ');
    if (!kind || !file || !/^[0-9a-f]{1,32}-\d{1,20}\.(sh|log)$/.test(file)) return [];
    return [{ kind, file, rc: rc ?? '', body: nl < 0 ? '' : p.slice(nl + 1) }];
  });
}

export async function restoreLeftovers(
  t: Transport,
  host: string,
  records: readonly LocalRecord[],
): Promise<LeftoverReport> {
  const b = `dropkit-${randomBytes(8).toString('hex')}`;
  const r = await t.exec({
    script: leftoversScript(b),
    root: true,
    step: 'restore',
    timeoutMs: 60_000,
  });
  const report: LeftoverReport = { host, restored: [], guardLogs: [] };
  const found = new Set<string>();
  for (const f of frames(stdoutText(r), b)) {
    if (f.kind === 'log')
      report.guardLogs.push({ file: f.file, text: f.body.trim().slice(0, 4096) });
    if (f.kind !== 'script') continue;
    found.add(f.file);
    report.restored.push(restored(f.file, f.rc === '0', f.body));
  }
  for (const rec of records) {
    const file = rec.script.slice(rec.script.lastIndexOf('/') + 1);
    if (!found.has(file)) report.restored.push(await fromRecord(t, rec));
    const mine = report.restored.filter((x) => x.source === file || x.source === `record ${file}`);
    if (mine.length && mine.every((x) => x.ok)) await removeLocalRecord(rec);
  }
  return report;
}

function restored(source: string, ok: boolean, body: string): Restored {
  return {
    source,
    ok,
    values: parseReadback(body),
    ...(ok ? {} : { detail: body.trim().slice(0, 300) || 'no output' }),
  };
}

async function fromRecord(t: Transport, rec: LocalRecord): Promise<Restored> {
  const script = restoreScript({
    runId: rec.runId,
    netns: rec.netns,
    generator: `dropkit ${packageVersion()}`,
    createdAt: rec.createdAt,
    originals: rec.originals,
  });
  const r = await t.exec({ script, root: true, step: 'restore', timeoutMs: 60_000 });
  const file = rec.script.slice(rec.script.lastIndexOf('/') + 1);
  return restored(`record ${file}`, r.exitCode === 0, `${stdoutText(r)}${r.stderr}`);
}
