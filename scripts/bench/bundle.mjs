// Targets (bundles issue, then issue 16): `collect bundle --local` at most
// 0.08x the wall time of `sos report --batch -o networking` (redaction and
// archive included), run alternately on the same machine; `collect bundle
// --node vmA` on the lab under 1 s end to end. Prints medians and peak
// memory. DROPKIT_BENCH_LOCAL_ONLY=1 leaves the lab out (it is shared; the
// local part needs none).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLab, measured, median, report } from './lib.mjs';

// Where a `collect bundle --local` spends its time, from its --debug lines
// (separate runs: the timed ones above print nothing extra). Medians; what
// no line covers (parsing the snapshot, writing the log, exiting) is the
// rest of the wall time.
function breakdown(work, env) {
  const phases = new Map();
  const add = (k, v) => phases.set(k, [...(phases.get(k) ?? []), v]);
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = spawnSync(
      'dist/bin/collect.js',
      ['bundle', '--local', '--debug', '--out', join(work, 'dk')],
      { env: { ...process.env, ...env }, encoding: 'utf8' },
    );
    const wall = performance.now() - t0;
    if (r.status !== 0) throw new Error(`collect exited ${r.status}: ${r.stderr.slice(-500)}`);
    let covered = 0;
    for (const line of r.stderr.split('\n')) {
      const m =
        line.match(/^debug: bundle: (started) (\d+) ms after launch/) ??
        line.match(/: (snapshot) \d+ sources in (\d+) ms/) ??
        line.match(/^debug: bundle: (.+) in ([\d.]+) ms$/);
      if (!m) continue;
      const label = m[1] === 'started' ? 'start (launch to the command)' : m[1];
      add(label, Number(m[2]));
      covered += Number(m[2]);
    }
    add('rest (parse, log, exit)', wall - covered);
    add('wall', wall);
  }
  console.log('collect bundle --local --debug, medians of 5 runs:');
  for (const [k, v] of phases)
    console.log(`  ${k.padEnd(32)} ${median(v).toFixed(0).padStart(5)} ms`);
}

const work = mkdtempSync(join(tmpdir(), 'dropkit-bench-'));
const env = { XDG_CONFIG_HOME: join(work, 'cfg') };
mkdirSync(join(work, 'sos'));
try {
  // The bin as users run it (it drops NODE_EXTRA_CA_CERTS, see
  // scripts/bundle.mjs), alternating with sos, five runs each.
  const dk = [];
  const sos = [];
  for (let i = 0; i < 5; i++) {
    dk.push(measured('dist/bin/collect.js', ['bundle', '--local', '--out', join(work, 'dk')], env));
    sos.push(
      measured(
        'sos',
        ['report', '--batch', '-o', 'networking', '--tmp-dir', join(work, 'sos'), '--quiet'],
        {},
      ),
    );
  }
  const dm = median(dk.map((x) => x.ms));
  const sm = median(sos.map((x) => x.ms));
  report(
    'collect bundle --local',
    dk.map((x) => x.ms),
  );
  console.log(`  peak memory: median ${median(dk.map((x) => x.mib)).toFixed(0)} MiB`);
  report(
    'sos report --batch -o networking',
    sos.map((x) => x.ms),
  );
  console.log(`  peak memory: median ${median(sos.map((x) => x.mib)).toFixed(0)} MiB`);
  console.log(
    `ratio dropkit/sos: ${(dm / sm).toFixed(3)} (target <= 0.08: ${dm / sm <= 0.08 ? 'met' : 'MISSED'})`,
  );
  breakdown(work, env);
  if (process.env['NODE_EXTRA_CA_CERTS']) {
    // For the record: what `node dist/bin/collect.js` costs here, where node
    // loads the CA file before running any code.
    const viaNode = [];
    for (let i = 0; i < 3; i++)
      viaNode.push(
        measured(
          'node',
          ['dist/bin/collect.js', 'bundle', '--local', '--out', join(work, 'dk')],
          env,
        ).ms,
      );
    report('  same, as `node dist/bin/collect.js` with NODE_EXTRA_CA_CERTS kept', viaNode);
  }

  if (process.env['DROPKIT_BENCH_LOCAL_ONLY'] !== '1') {
    const restore = ensureLab({ DROPKIT_LAB: 'bench' });
    try {
      const lab = [];
      for (let i = 0; i < 5; i++)
        lab.push(
          measured('dist/bin/collect.js', ['bundle', '--node', 'vmA', '--out', join(work, 'lab')], {
            ...env,
            DROPKIT_LAB: 'bench',
          }).ms,
        );
      report('collect bundle --node vmA (lab, end to end)', lab, 1000);
    } finally {
      restore();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
