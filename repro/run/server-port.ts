import { DropkitError } from '../../kit/errors.js';
import type { Transport } from '../../kit/transport/types.js';
import type { Pod } from './pod.js';
import { pickPort } from './ports.js';
import { busyPortsOn } from './traffic.js';

// The iperf3 port on the receiver: the one the user asked for if it is free,
// else the first free one from 5201.
export async function serverPort(
  receiver: Transport,
  o: { spec: string; wanted?: number; signal: AbortSignal; pod?: Pod },
): Promise<number> {
  const busy = await busyPortsOn(receiver, 'port', o.signal, o.pod);
  if (o.wanted !== undefined) {
    if (busy.has(o.wanted)) {
      throw new DropkitError({
        code: 'COMMAND_FAILED',
        message: `port ${o.wanted} is already in use`,
        host: o.spec,
        step: 'port',
        hint: 'pick another with --port, or leave --port out to choose a free one',
      });
    }
    return o.wanted;
  }
  const p = pickPort(busy);
  if (p === undefined)
    throw new DropkitError({
      code: 'COMMAND_FAILED',
      message: 'no free port in 5201-5299',
      host: o.spec,
      step: 'port',
      hint: 'give one with --port',
    });
  return p;
}
