import { DropkitError } from '../../kit/errors.js';
import type { HostRun } from './record.js';

// A lost host makes the other side fail too (the sender's iperf3 sees
// "connection refused"): the error that stopped the run is then renamed after
// its root cause, the host that went away. An interrupt stays an interrupt.
// Pure.
export function rootCause(error: DropkitError, hosts: readonly HostRun[]): DropkitError {
  const lost = hosts.find((h) => h.failure?.step === 'connection');
  if (!lost || error.code === 'ABORTED' || error.host === lost.spec) return error;
  return new DropkitError({
    code: 'CONNECTION_LOST',
    message: `${lost.failure!.message} (during ${error.step ?? 'the run'}; then ${error.oneLine})`,
    host: lost.spec,
    step: error.step ?? 'run',
    hint: 'the host rebooted, sshd stopped, or the link dropped; its samplers and iperf3 stop by themselves when the connection closes',
  });
}
