import { DropkitError } from '../../kit/errors.js';
import type { Transport } from '../../kit/transport/types.js';
import type { RawFile, Snapshot } from '../model.js';
import { COLLECTORS } from '../registry.js';
import type { CollectorSpec } from '../spec.js';
import { buildSnapshot } from './build.js';
import { parseFrames, parseStderrFrames, stderrKey } from './frames.js';
import { buildSnapshotScript, newBoundary } from './script.js';

export interface TakenSnapshot {
  snapshot: Snapshot;
  raw: RawFile[];
}

// One snapshot = one exec of one generated script over the open connection.
export async function takeSnapshot(
  t: Transport,
  opts: {
    specs?: readonly CollectorSpec[];
    signal?: AbortSignal;
    timeoutMs?: number;
    step?: string;
  } = {},
): Promise<TakenSnapshot> {
  const specs = opts.specs ?? COLLECTORS;
  const boundary = newBoundary();
  const script = buildSnapshotScript(specs, boundary);
  const started = new Date();
  const r = await t.exec({
    script,
    timeoutMs: opts.timeoutMs ?? 60_000,
    signal: opts.signal,
    step: opts.step ?? 'snapshot',
  });
  const { sections, warnings } = parseFrames(r.stdout, boundary);
  const errs = parseStderrFrames(r.stderr, boundary);
  for (const s of sections) s.stderr = errs.get(stderrKey(s.id, s.iface)) ?? '';
  if (!sections.length) {
    throw new DropkitError({
      code: 'COMMAND_FAILED',
      message: `the snapshot script produced no sections (exit ${r.exitCode ?? r.signal ?? 'unknown'})${r.stderr ? `: ${r.stderr.trim().split('\n')[0]}` : ''}`,
      host: t.info.name,
      step: opts.step ?? 'snapshot',
      hint: r.timedOut
        ? 'the host is very slow or hung; retry, or check its load'
        : 'is /bin/sh a POSIX shell on this host?',
    });
  }
  const built = buildSnapshot({
    host: t.info.name,
    takenAt: started.toISOString(),
    durationMs: r.durationMs,
    sections,
    specs,
  });
  built.snapshot.warnings.unshift(...warnings);
  if (r.timedOut)
    built.snapshot.warnings.unshift('the snapshot timed out: later sections are missing');
  if (r.aborted)
    built.snapshot.warnings.unshift(
      `the snapshot was interrupted: ${sections.length} sections arrived${sections.some((s) => s.truncated) ? ', the last one cut short' : ', each one whole'}`,
    );
  return built;
}
