import { takeSnapshot } from '../collectors/snapshot/take.js';
import { traceForSeconds } from '../collectors/trace/timed.js';
import { asDropkitError } from '../kit/errors.js';
import { RUN_ID } from '../kit/transport/command-line.js';
import type { Opened } from '../kit/transport/open.js';
import type { NodeCapture } from './node-bundle.js';

// One host of `collect bundle`, over its own connection: the drop-reason
// trace when asked for, then the snapshot. Never throws: a host that failed
// is a capture with its error, and the others are still bundled. The
// connection is closed whatever happened.
export async function captureNode(
  o: Opened,
  index: number,
  c: { traceSeconds?: number; signal: AbortSignal; log: (line: string) => void },
): Promise<NodeCapture> {
  if ('error' in o) {
    const e = asDropkitError(o.error, { code: 'CONNECT_FAILED', host: o.spec, step: 'connect' });
    c.log(`${o.spec}: FAILED: ${e.oneLine}`);
    return { spec: o.spec, error: e.oneLine };
  }
  try {
    // Each host its own instance: on one kernel (containers, the lab)
    // tracefs is shared.
    const trace = c.traceSeconds
      ? await traceForSeconds(o.transport, {
          seconds: c.traceSeconds,
          runId: `${RUN_ID}-${index}`,
          signal: c.signal,
          log: c.log,
        })
      : undefined;
    // Ctrl-C during the trace only cuts the trace short: the snapshot (a
    // fraction of a second) is still taken whole, so the bundle keeps both.
    // A second Ctrl-C exits at once.
    const interruptedTrace = !!c.traceSeconds && c.signal.aborted;
    const taken = await takeSnapshot(o.transport, interruptedTrace ? {} : { signal: c.signal });
    const failed = taken.snapshot.sources.filter((s) => !s.ok).length;
    c.log(
      `${o.spec}: snapshot ${taken.raw.length} sources in ${taken.snapshot.durationMs} ms${failed ? `, ${failed} not collected` : ''}`,
    );
    return { spec: o.spec, user: o.transport.info.user, taken, ...(trace ? { trace } : {}) };
  } catch (e) {
    const err = asDropkitError(e, { code: 'COMMAND_FAILED', host: o.spec, step: 'snapshot' });
    c.log(`${o.spec}: FAILED: ${err.oneLine}`);
    return { spec: o.spec, error: err.oneLine };
  } finally {
    await o.transport.close();
  }
}
