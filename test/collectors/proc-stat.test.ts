import { describe, expect, it } from 'vitest';
import { parseProcStatCpus } from '../../collectors/proc-stat.js';
import { fixture } from './fixture-files.js';

// A real /proc/stat (test/fixtures/SOURCES.md): a 2-vCPU Debian 12 microVM, kernel 6.18, whose
// hypervisor stole nothing.
const REAL = 'proc_stat/debian12-6.18-2cpu-microvm-no-steal.txt';

describe('/proc/stat per CPU', () => {
  it('reads softirq and steal of each cpuN line, not the aggregate line', () => {
    const { value, warnings } = parseProcStatCpus(fixture(REAL));
    expect(warnings).toEqual([]);
    expect(value).toEqual([
      { cpu: 0, softirq: 114004n, steal: 0n },
      { cpu: 1, softirq: 110552n, steal: 0n },
    ]);
  });

  it('leaves out a field an old kernel does not print, and skips garbage', () => {
    // 2.6.0–2.6.10: no steal column; a CPU index can skip numbers (offline CPUs).
    const { value, warnings } = parseProcStatCpus(
      'cpu  1 2 3 4 5 6 7\ncpu0 10 0 3 4 5 6 70\ncpu3 1 2 3 4 5 6 7 8 9 10\ncpu3 9 9 9 9 9 9 9 9\ncpu7 x\n',
    );
    expect(value).toEqual([
      { cpu: 0, softirq: 70n },
      { cpu: 3, softirq: 7n, steal: 8n },
    ]);
    expect(warnings).toHaveLength(2);
  });

  it('keeps u64 ticks exact', () => {
    const { value } = parseProcStatCpus('cpu1 0 0 0 0 0 0 18446744073709551615 9007199254740993\n');
    expect(value).toEqual([{ cpu: 1, softirq: 18446744073709551615n, steal: 9007199254740993n }]);
  });
});
