import { describe, expect, it } from 'vitest';
import { cli } from '../../cli-helpers.js';

// Bad numbers are refused when the command line is parsed, before anything
// connects or runs on a host.
describe('numeric options', () => {
  it('--port must be a TCP port', async () => {
    for (const port of ['0', '70000', 'abc']) {
      const r = await cli('repro', ['run', '--pair', 'vmA', 'vmB', '--port', port]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/--port <n>' argument .* must be a port between 1 and 65535/);
    }
  });

  it('counts and durations must be at least 1', async () => {
    const runs: Array<['repro' | 'collect', string[]]> = [
      ['repro', ['run', '--pair', 'vmA', 'vmB', '--duration', '0']],
      ['repro', ['lab', 'up', '--hosts', '0']],
      ['collect', ['bundle', '--local', '--trace-drops', '0']],
    ];
    for (const [bin, args] of runs) {
      const r = await cli(bin, args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/must be a positive integer/);
    }
  });

  it('--rps-to-cpu accepts CPU 0 but not -1', async () => {
    const r = await cli('repro', ['lab', 'impair', '--rps-to-cpu', '-1']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/must be a non-negative integer/);
  });
});
