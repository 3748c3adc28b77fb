import { DropkitError } from '../../kit/errors.js';
import type { Transport } from '../../kit/transport/types.js';
import type { RawFile, Snapshot } from '../model.js';
import { COLLECTORS } from '../registry.js';
import type { CollectorSpec } from '../spec.js';
import { buildSnapshot } from './build.js';
import { parseFrames, parseStderrFrames, stderrKey } from './frames.js';
import { buildSnapshotScript, newBoundary } from './script.js';
import { carriedSections, coveredInterfaces } from './taken-once.js';

// All of a snapshot's stdout beyond this is not read: the host is stopped
// (its processes reaped by tag) and what arrived is kept. A real snapshot of
// a big Kubernetes node is a few MB; one source is cut at 16 MiB (accept.ts).
export const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;

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
    // An earlier snapshot of the same host in the same run: what it read of
    // the sources that cannot change meanwhile is not read again
    // (taken-once.ts).
    onceFrom?: TakenSnapshot;
  } = {},
): Promise<TakenSnapshot> {
  const specs = opts.specs ?? COLLECTORS;
  const boundary = newBoundary();
  const carried = opts.onceFrom ? carriedSections(opts.onceFrom.raw) : [];
  const hostWide = new Set(carried.flatMap((s) => (s.iface === undefined ? [s.id] : [])));
  const script = buildSnapshotScript(
    specs.filter((s) => !(s.scope === 'global' && hostWide.has(s.id))),
    boundary,
    { covered: coveredInterfaces(carried) },
  );
  const started = new Date();
  // A host that floods stdout is cut off: memory stays bounded and the
  // sections that arrived are still used.
  const flood = new AbortController();
  let seen = 0;
  const r = await t.exec({
    script,
    timeoutMs: opts.timeoutMs ?? 60_000,
    signal: opts.signal ? AbortSignal.any([opts.signal, flood.signal]) : flood.signal,
    step: opts.step ?? 'snapshot',
    onStdout: (chunk) => {
      seen += chunk.length;
      if (seen > MAX_SNAPSHOT_BYTES && !flood.signal.aborted) flood.abort();
    },
  });
  const flooded = flood.signal.aborted && !opts.signal?.aborted;
  const stdout = flooded ? r.stdout.subarray(0, MAX_SNAPSHOT_BYTES) : r.stdout;
  const { sections, warnings } = parseFrames(stdout, boundary);
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
    ...(carried.length ? { carried } : {}),
  });
  built.snapshot.warnings.unshift(...warnings);
  if (r.timedOut)
    built.snapshot.warnings.unshift('the snapshot timed out: later sections are missing');
  if (flooded)
    built.snapshot.warnings.unshift(
      `the host sent more than ${MAX_SNAPSHOT_BYTES} bytes of output: the rest was not read, and the snapshot was stopped`,
    );
  else if (r.aborted)
    built.snapshot.warnings.unshift(
      `the snapshot was interrupted: ${sections.length} sections arrived${sections.some((s) => s.truncated) ? ', the last one cut short' : ', each one whole'}`,
    );
  return built;
}
