import { parseU64 } from './counter.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';
import { quote, splitLines } from './text-lines.js';

// /proc/stat, the per-CPU time lines: `cpuN user nice system idle iowait irq softirq steal
// guest guest_nice`, in USER_HZ ticks (1/100 s on every Linux, whatever HZ the kernel runs
// at). Two fields matter to a packet loss: softirq, the time the CPU spent in softirqs (NET_RX
// among them), and steal, the time the hypervisor ran something else while this vCPU wanted to
// run: a vCPU that is stolen from cannot drain its RX ring or its backlog. Older kernels print
// fewer columns (steal since 2.6.11): a missing field is left out, never read as 0. The
// aggregate `cpu ` line and the other lines (intr, ctxt, softirq totals) are not read. Pure.

export interface CpuTimes {
  cpu: number;
  // Ticks since boot, USER_HZ.
  softirq?: bigint;
  steal?: bigint;
}

// Field positions after the `cpuN` label (proc_stat.c show_stat()).
const SOFTIRQ = 6;
const STEAL = 7;

export function parseProcStatCpus(text: string): ParseResult<CpuTimes[]> {
  const warnings = new WarningList();
  const rows: CpuTimes[] = [];
  const seen = new Set<number>();
  splitLines(text).forEach((line, i) => {
    const m = /^cpu(\d{1,5})\s+(.*)$/.exec(line.trim());
    if (!m) return;
    const cpu = Number(m[1]);
    if (seen.has(cpu)) {
      warnings.add(`line ${i + 1}: cpu${cpu} repeated: ${quote(line)}`);
      return;
    }
    const fields = m[2]!.split(/\s+/);
    const row: CpuTimes = { cpu };
    const softirq = parseU64(fields[SOFTIRQ] ?? '');
    const steal = parseU64(fields[STEAL] ?? '');
    if (softirq !== undefined) row.softirq = softirq;
    if (steal !== undefined) row.steal = steal;
    if (softirq === undefined && steal === undefined) {
      warnings.add(`line ${i + 1}: no softirq or steal field: ${quote(line)}`);
      return;
    }
    seen.add(cpu);
    rows.push(row);
  });
  return { value: rows, warnings: warnings.done() };
}
