import { DropkitError } from '../../kit/errors.js';
import type { Transport } from '../../kit/transport/types.js';
import type { SamplerRecord } from './record.js';
import { SamplerSession } from './sampler-session.js';

export interface SamplerHost {
  transport: Transport;
  dataIface?: string;
  // Also watched from the first sample (the pod's host-side veth).
  watch?: readonly string[];
}

// A sampler on every host, streaming over its connection. They outlive the
// step: the run stops them after the traffic, or on any failure.
export function startSamplers(
  hosts: readonly SamplerHost[],
  o: { intervalMs: number; maxSeconds: number; signal: AbortSignal },
): SamplerSession[] {
  return hosts.map((h) => {
    const s = new SamplerSession(h.transport, {
      intervalMs: o.intervalMs,
      ...(h.dataIface ? { dataIface: h.dataIface } : {}),
      ...(h.watch?.length ? { watch: h.watch } : {}),
      // Bounded on the host too, whatever happens to us.
      maxSeconds: o.maxSeconds,
      signal: o.signal,
    });
    s.start();
    return s;
  });
}

// Traffic starts once every sampler is producing: up to 5 s, then the first
// silent host is named.
export async function firstSamples(
  sessions: readonly SamplerSession[],
  specs: readonly string[],
): Promise<void> {
  for (let i = 0; i < 50 && sessions.some((s) => !s.samples.length); i++)
    await new Promise((r) => setTimeout(r, 100));
  const silent = sessions.findIndex((s) => !s.samples.length);
  if (silent >= 0)
    throw new DropkitError({
      code: 'COMMAND_FAILED',
      message: 'the sampler produced no sample within 5 s',
      host: specs[silent],
      step: 'samplers',
    });
}

// The plain record of a sampler, once it has stopped.
export function samplerRecord(s: SamplerSession): SamplerRecord {
  return { samples: [...s.samples], script: s.script, warnings: [...s.warnings] };
}
