import type { ProbeFacts } from '../../kit/doctor/probe.js';
import type { Transport } from '../../kit/transport/types.js';

export interface CleanupHost {
  spec: string;
  // Undefined when the host never connected: nothing to clean there.
  transport: Transport | undefined;
  sudo: ProbeFacts['sudo'] | undefined;
}

export interface Cleaned {
  // By host: our processes still there after the sweep, or undefined when the
  // host could not be checked.
  leftovers: Array<string[] | undefined>;
  // One line per host with a survivor or out of reach, in the order found.
  problems: string[];
}

// Always: stop our processes on every host we can still reach, then check
// that none is left, and close the connection. A host we cannot reach is
// reported, not guessed about.
export async function cleanup(hosts: readonly CleanupHost[], runId: string): Promise<Cleaned> {
  const problems: string[] = [];
  const match = { name: 'DROPKIT_RUN', value: runId } as const;
  const leftovers = await Promise.all(
    hosts.map(async (h) => {
      const t = h.transport;
      if (!t) return undefined;
      try {
        // Root where we ran something as root (the tracer), so it can be reaped.
        const root = !t.info.isRoot && h.sudo === 'passwordless';
        // One round trip: the kill prints what survived it.
        const left = (await t.sweep(match, root)).trim();
        const found = left ? left.split('\n') : [];
        if (found.length)
          problems.push(`${h.spec}: ${found.length} process(es) left: ${found.join('; ')}`);
        return found;
      } catch (e) {
        problems.push(
          `${h.spec}: unreachable, could not check for leftover processes (${(e as Error).message}); the samplers and iperf3 there stop by themselves when their connection closes`,
        );
        return undefined;
      } finally {
        await t.close().catch(() => undefined);
      }
    }),
  );
  return { leftovers, problems };
}
