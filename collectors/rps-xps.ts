import { intoSnapshot } from './contribution.js';
import { isValidIfaceName } from './iface-name.js';
import type { Snapshot } from './model.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { quote, splitLines } from './text-lines.js';

// RPS and XPS per queue, as sysfs prints them: one line per file,
// `eth0/rx-0/rps_cpus 2`, `eth0/rx-0/rps_flow_cnt 0`, `eth0/tx-0/xps_cpus 1`.
// Kept raw too, and parsed so a BACKLOG finding can cite the mask that
// steered all of an interface's receive work to the CPU that overflowed.
export interface QueueSteering {
  iface: string;
  // `rx-0`, `tx-3`.
  queue: string;
  // Hex masks in the kernel's comma-separated 32-bit groups (kit/cpu-mask.ts).
  rpsCpus?: string;
  rpsFlowCnt?: number;
  xpsCpus?: string;
}

const LINE = /^([^/\s]{1,15})\/((?:rx|tx)-\d{1,5})\/(rps_cpus|rps_flow_cnt|xps_cpus) (\S{1,200})$/;
const MASK = /^[0-9a-f]{1,8}(?:,[0-9a-f]{8}){0,255}$/;

export function parseRpsXps(text: string): ParseResult<QueueSteering[]> {
  const warnings = new WarningList();
  const byQueue = new Map<string, QueueSteering>();
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = LINE.exec(line);
    if (!m || !isValidIfaceName(m[1]!)) {
      warnings.add(`line ${i + 1}: not a queue setting: ${quote(line)}`);
      return;
    }
    const [, iface, queue, file, value] = m as unknown as [string, string, string, string, string];
    const key = `${iface}/${queue}`;
    const q = byQueue.get(key) ?? { iface, queue };
    byQueue.set(key, q);
    if (file === 'rps_flow_cnt') {
      if (/^\d{1,10}$/.test(value)) q.rpsFlowCnt = Number(value);
      else warnings.add(`line ${i + 1}: not a count: ${quote(line)}`);
    } else if (MASK.test(value)) {
      if (file === 'rps_cpus') q.rpsCpus = value;
      else q.xpsCpus = value;
    } else warnings.add(`line ${i + 1}: not a CPU mask: ${quote(line)}`);
  });
  return { value: [...byQueue.values()], warnings: warnings.done() };
}

declare module './model.js' {
  interface Snapshot {
    // RPS/XPS per queue (rps-xps.ts); absent when it was not collected.
    steering?: QueueSteering[];
  }
}

function steeringView(s: Snapshot) {
  return { steering: s.steering ?? null };
}

export const rpsXpsCollector: CollectorSpec = {
  id: 'rps_xps',
  description: 'RPS and XPS CPU masks and RPS flow counts per queue',
  source: {
    kind: 'shell',
    sh: `for q in /sys/class/net/*/queues/*; do i=\${q%/queues/*}; i=\${i##*/}; for f in rps_cpus rps_flow_cnt xps_cpus; do [ -r "$q/$f" ] && read -r v < "$q/$f" && echo "$i/\${q##*/}/$f $v"; done; done 2>/dev/null; exit 0`,
  },
  scope: 'global',
  rawPath: 'net/rps-xps.txt',
  model: {
    ...intoSnapshot(parseRpsXps, (value, d) => {
      d.fields.steering = value;
    }),
    view: steeringView,
  },
};
