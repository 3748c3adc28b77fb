// Targets (reproduction issue): sampler < 2% of one core at 100 ms, from its
// own /proc/<pid>/stat; p99 sampling interval within ±20 ms of the target; a
// 10 s run adds < 3 s over the traffic time (preflight, snapshots, cleanup,
// bundling), whole process, median of 3.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLab, report, reportSampler, reproRuns } from './lib.mjs';

const env = {
  ...process.env,
  DROPKIT_LAB: 'bench',
  XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'dropkit-bench-')),
};
const restore = ensureLab({ DROPKIT_LAB: 'bench' });
const out = mkdtempSync(join(tmpdir(), 'dropkit-bench-out-'));
try {
  const { walls, cpu, jitter } = reproRuns((args) => {
    const r = spawnSync('dist/bin/repro.js', args, { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`repro run exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  }, out);
  report('repro run overhead over 10 s of traffic (whole process)', walls, 3000);
  reportSampler('', cpu, jitter);
} finally {
  rmSync(out, { recursive: true, force: true });
  rmSync(env.XDG_CONFIG_HOME, { recursive: true, force: true });
  restore();
}
