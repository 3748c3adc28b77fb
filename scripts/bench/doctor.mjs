// Target (foundation issue): `repro doctor --pair vmA vmB` against the lab
// completes in under 1.5 s, median of 5 runs, as a whole process.
import { ensureLab, report, timeRun } from './lib.mjs';

const env = { DROPKIT_LAB: 'bench' };
const restore = ensureLab(env);
try {
  timeRun('dist/bin/repro.js', ['doctor', '--pair', 'vmA', 'vmB'], env); // warm-up
  const samples = [];
  for (let i = 0; i < 5; i++)
    samples.push(timeRun('dist/bin/repro.js', ['doctor', '--pair', 'vmA', 'vmB'], env));
  report('repro doctor --pair vmA vmB', samples, 1500);
} finally {
  restore();
}
