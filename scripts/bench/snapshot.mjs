// Targets (collectors issue): a snapshot of a lab host over an open SSH
// connection takes one exec and < 300 ms (median); parsing a full snapshot
// takes < 20 ms; `collect snapshot --local` as a whole process < 0.5 s.
import { COLLECTORS } from '../../dist/collectors/registry.js';
import { buildSnapshot } from '../../dist/collectors/snapshot/build.js';
import { parseFrames } from '../../dist/collectors/snapshot/frames.js';
import { buildSnapshotScript, newBoundary } from '../../dist/collectors/snapshot/script.js';
import { takeSnapshot } from '../../dist/collectors/snapshot/take.js';
import { connectSsh } from '../../dist/kit/transport/ssh-connect.js';
import { ensureLab, report, timeRun } from './lib.mjs';

const env = { DROPKIT_LAB: 'bench' };
const restore = ensureLab(env);
try {
  const t = await connectSsh('vmA', { configFiles: ['/run/dropkit/lab-bench/ssh_config'] });
  await takeSnapshot(t); // warm-up
  const over = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    await takeSnapshot(t);
    over.push(performance.now() - t0);
  }
  report('snapshot of vmA over an open SSH connection (1 exec)', over, 300);

  const b = newBoundary();
  const r = await t.exec({ script: buildSnapshotScript(COLLECTORS, b) });
  await t.close();
  const { sections } = parseFrames(r.stdout, b);
  const parse = [];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    parseFrames(r.stdout, b);
    buildSnapshot({
      host: 'vmA',
      takenAt: new Date().toISOString(),
      durationMs: 0,
      sections,
      specs: COLLECTORS,
    });
    parse.push(performance.now() - t0);
  }
  report(
    `parse a full snapshot (${sections.length} sections, ${r.stdout.length} bytes)`,
    parse,
    20,
  );

  timeRun('dist/bin/collect.js', ['snapshot', '--local']);
  const local = [];
  for (let i = 0; i < 5; i++) local.push(timeRun('dist/bin/collect.js', ['snapshot', '--local']));
  report('collect snapshot --local (whole process)', local, 500);
} finally {
  restore();
}
