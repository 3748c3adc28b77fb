import { allCpusMask, maskBits } from '../../../kit/cpu-mask.js';
import type { Snapshot } from '../../model.js';
import { cpuList } from '../numbers.js';

// Why drops land on few CPUs, from the masks the host printed: receive
// queues whose rps_cpus names only CPUs that dropped steer all their work
// there, and spreading them helps more than a longer queue. Pure.

export interface RpsNote {
  note: string;
  // Read-only commands that show the masks.
  checks: string[];
}

// At most this many queues are named; the rest are counted.
const SHOWN = 4;

export function rpsNote(
  after: Snapshot,
  dropCpus: readonly number[],
  cpusTotal: number,
): RpsNote | undefined {
  if (!dropCpus.length || cpusTotal <= 1 || dropCpus.length >= cpusTotal) return undefined;
  const where = cpuList(dropCpus);
  const generic = `All drops were on ${where}: ${dropCpus.length === 1 ? 'one CPU receives' : 'few CPUs receive'} this traffic (RSS/RPS steering). Spreading it with /sys/class/net/<if>/queues/rx-*/rps_cpus helps more than a longer queue.`;
  // Loopback traffic never comes through a NIC's queue: its mask explains nothing here.
  const rx = (after.steering ?? []).filter(
    (q) => q.queue.startsWith('rx-') && q.rpsCpus && q.iface !== 'lo',
  );
  if (!rx.length) return { note: generic, checks: [] };
  const dropped = dropCpus.reduce((m, c) => m | (1n << BigInt(c)), 0n);
  const steered = rx.filter((q) => {
    const bits = maskBits(q.rpsCpus!);
    return bits !== 0n && (bits & ~dropped) === 0n;
  });
  const checks = maskChecks(steered.length ? steered : rx);
  if (!steered.length) {
    const on = rx.filter((q) => maskBits(q.rpsCpus!) !== 0n);
    return {
      note: `All drops were on ${where}. ${on.length ? 'No receive queue steers only to those CPUs (rps_cpus)' : 'RPS is off on every receive queue (rps_cpus 0)'}: the work lands where each queue's interrupt does (proc/irq-affinity.txt); spreading the IRQs or enabling RPS helps more than a longer queue.`,
      checks: [...checks, 'cat /proc/interrupts'],
    };
  }
  const shown = steered.slice(0, SHOWN).map((q) => `${q.iface} ${q.queue} (rps_cpus ${q.rpsCpus})`);
  const more = steered.length > SHOWN ? ` and ${steered.length - SHOWN} more queues` : '';
  const first = steered[0]!;
  const all = allCpusMask(cpusTotal, first.rpsCpus!);
  return {
    note: `All drops were on ${where}, and RPS steers ${shown.join(', ')}${more} to ${where} only: all of that receive work lands on the CPU${dropCpus.length === 1 ? '' : 's'} whose backlog overflowed. Spreading it helps more than a longer queue: echo ${all} > /sys/class/net/${first.iface}/queues/${first.queue}/rps_cpus (every CPU).`,
    checks,
  };
}

// One read-only command per interface, or one for all of them when there are
// many: a Kubernetes node has a veth per pod, and 100 `cat` lines bury the fix.
function maskChecks(queues: ReadonlyArray<{ iface: string }>): string[] {
  const ifaces = [...new Set(queues.map((q) => q.iface))];
  return ifaces.length > SHOWN
    ? ['grep -H . /sys/class/net/*/queues/rx-*/rps_cpus']
    : ifaces.map((i) => `cat /sys/class/net/${i}/queues/rx-*/rps_cpus`);
}
