import { rawOnly } from './raw-only.js';

// How packets are spread over CPUs: interrupts, softirqs and the IRQ
// affinity of NIC queues. Kept raw: a support engineer reads these. The
// RPS/XPS masks are parsed too (rps-xps.ts).

export const interruptsCollector = rawOnly({
  id: 'interrupts',
  description: 'interrupt counts per CPU (/proc/interrupts)',
  source: { kind: 'file', path: '/proc/interrupts' },
  rawPath: 'proc/interrupts',
  sos: ['proc/interrupts'],
});

export const softirqsCollector = rawOnly({
  id: 'softirqs',
  description: 'NET_RX/NET_TX softirq counts per CPU (/proc/softirqs)',
  source: { kind: 'file', path: '/proc/softirqs' },
  rawPath: 'proc/softirqs',
  sos: ['proc/softirqs'],
});

export const irqAffinityCollector = rawOnly({
  id: 'irq_affinity',
  description: 'IRQ affinity (CPU list) of every IRQ, with its name from /proc/interrupts',
  source: {
    kind: 'shell',
    // One awk over /proc/interrupts: a fork per IRQ would cost ~1 s on a big host.
    sh: `awk '/^ *[0-9]+:/ { n = $1; sub(":", "", n); f = "/proc/irq/" n "/smp_affinity_list"; a = "?"; if ((getline a < f) > 0) close(f); print n, a, $NF }' /proc/interrupts`,
  },
  rawPath: 'proc/irq-affinity.txt',
});
