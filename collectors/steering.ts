import { rawOnly } from './raw-only.js';

// How packets are spread over CPUs: interrupts, softirqs, RPS/XPS masks and
// the IRQ affinity of NIC queues. Kept raw: a support engineer reads these.

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

export const rpsXpsCollector = rawOnly({
  id: 'rps_xps',
  description: 'RPS and XPS CPU masks and RPS flow counts per queue',
  source: {
    kind: 'shell',
    sh: `for q in /sys/class/net/*/queues/*; do i=\${q%/queues/*}; i=\${i##*/}; for f in rps_cpus rps_flow_cnt xps_cpus; do [ -r "$q/$f" ] && read -r v < "$q/$f" && echo "$i/\${q##*/}/$f $v"; done; done 2>/dev/null; exit 0`,
  },
  rawPath: 'net/rps-xps.txt',
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
