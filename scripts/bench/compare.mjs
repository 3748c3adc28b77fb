// Target (compare issue): `repro compare`'s overhead beyond traffic time,
// per variant, under 1.5 s. Measured two ways, whole process, median of 3:
// - per variant: (wall - traffic) / variants, for baseline + backlog, which
//   charges the connect, preflight, plan and bundle to the two runs;
// - marginal: what one more variant adds (3 variants against 1), the cost a
//   user pays for each variant asked for.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLab, report } from './lib.mjs';

const DURATION = 3;
const env = {
  ...process.env,
  DROPKIT_LAB: 'bench',
  XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'dropkit-bench-')),
  DROPKIT_STATE_DIR: mkdtempSync(join(tmpdir(), 'dropkit-bench-state-')),
};
const restore = ensureLab({ DROPKIT_LAB: 'bench' });
const out = mkdtempSync(join(tmpdir(), 'dropkit-bench-out-'));
const lab = (args) => execFileSync('node', ['dist/bin/repro.js', 'lab', ...args], { env });

function compare(variants) {
  const args = ['compare', '--pair', 'vmA', 'vmB', '--duration', String(DURATION)];
  for (const v of variants) args.push('--variant', v);
  const t0 = performance.now();
  const r = spawnSync('dist/bin/repro.js', [...args, '--out', out, '--json'], {
    env,
    encoding: 'utf8',
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`repro compare exited ${r.status}: ${r.stderr}`);
  return ms - variants.length * DURATION * 1000;
}

try {
  lab(['impair', '--backlog', '10', '--rps-to-cpu', '1']);
  const two = [];
  const marginal = [];
  for (let i = 0; i < 3; i++) {
    const o2 = compare(['baseline', 'backlog']);
    two.push(o2 / 2);
    const o1 = compare(['baseline']);
    const o3 = compare(['baseline', 'backlog', 'rps']);
    marginal.push((o3 - o1) / 2);
  }
  report('repro compare overhead per variant (baseline + backlog, whole process)', two, 1500);
  report('repro compare marginal overhead of one more variant (3 variants vs 1)', marginal, 1500);
  console.log(`(each variant: ${DURATION} s of traffic; median of 3)`);
} finally {
  lab(['impair', '--reset']);
  rmSync(out, { recursive: true, force: true });
  rmSync(env.XDG_CONFIG_HOME, { recursive: true, force: true });
  rmSync(env.DROPKIT_STATE_DIR, { recursive: true, force: true });
  restore();
}
