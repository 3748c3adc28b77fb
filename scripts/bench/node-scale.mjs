// Targets (node scale issue), on a lab host with 100 pods (102 interfaces in
// its namespace): the sampler at 100 ms takes at most 2% of a core, p99
// interval within ±20 ms; `collect snapshot --node` of that host at most 1.5×
// the time for a host without pods; `repro run --duration 10` adds under 3 s
// over the traffic; receiver throughput with the samplers running within 5%
// of a run without them, side by side. Prints figures, never asserts.
// `--overhead`: only the `repro run` overhead (and the sampler's figures it
// reports), on the lab with 100 pods: the figure a change to the run's
// steps or its bundle moves, in a minute instead of several.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newBoundary } from '../../dist/collectors/snapshot/script.js';
import { samplerScript } from '../../dist/repro/sampler/script.js';
import { median, report, reportSampler, reproRuns, timeRun } from './lib.mjs';

const LAB = 'pods';
// The lab's namespace prefix (kit/lab/layout.ts labIdFor).
const PREFIX = `dk${LAB.slice(0, 3)}`;
const env = {
  ...process.env,
  DROPKIT_LAB: LAB,
  XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'dropkit-bench-')),
};
const out = mkdtempSync(join(tmpdir(), 'dropkit-bench-out-'));

function repro(args, opts = {}) {
  const r = spawnSync('node', ['dist/bin/repro.js', ...args], {
    env,
    encoding: 'utf8',
    ...opts,
  });
  if (r.status !== 0) throw new Error(`repro ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const snapshotMs = () =>
  timeRun('node', ['dist/bin/collect.js', 'snapshot', '--node', 'vmB', '--json'], env);

// One TCP iperf3 test from vmA to vmB, in the hosts' namespaces; bits/s at the receiver.
function iperf(status, seconds) {
  const [a, b] = status.hosts;
  const srv = spawn(
    'ip',
    ['netns', 'exec', `${PREFIX}-${b.alias}`, 'iperf3', '-s', '-1', '-p', '5301'],
    {
      stdio: 'ignore',
    },
  );
  spawnSync('sleep', ['0.3']);
  const r = spawnSync(
    'ip',
    [
      'netns',
      'exec',
      `${PREFIX}-${a.alias}`,
      'iperf3',
      '-c',
      b.address,
      '-p',
      '5301',
      '-t',
      String(seconds),
      '-J',
    ],
    { encoding: 'utf8' },
  );
  srv.kill();
  const j = JSON.parse(r.stdout);
  return j.end.sum_received.bits_per_second;
}

// The sampler as `repro run` starts it (bash, 100 ms), on both hosts, while `fn` runs.
function withSamplers(status, fn) {
  const kids = status.hosts.map((h) =>
    spawn(
      'ip',
      [
        'netns',
        'exec',
        `${PREFIX}-${h.alias}`,
        'bash',
        '-c',
        samplerScript({
          intervalMs: 100,
          ethtoolEvery: 10,
          dataIface: 'eth0',
          maxSeconds: 60,
          boundary: newBoundary(),
        }),
      ],
      { stdio: ['ignore', 'ignore', 'ignore'] },
    ),
  );
  try {
    return fn();
  } finally {
    for (const k of kids) k.kill();
  }
}

const overheadOnly = process.argv.includes('--overhead');
let upBefore = false;
try {
  upBefore = JSON.parse(repro(['lab', 'status', '--json'])).hosts.length > 0;
  if (overheadOnly) {
    repro(['lab', 'up', '--pods', '100'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const { walls, cpu, jitter } = reproRuns(repro, out);
    report('repro run overhead over 10 s of traffic, 100 pods (whole process)', walls, 3000);
    reportSampler(', 100 pods', cpu, jitter);
  } else {
    repro(['lab', 'up', '--pods', '0'], { stdio: ['ignore', 'ignore', 'inherit'] });
    snapshotMs();
    const bare = [];
    for (let i = 0; i < 5; i++) bare.push(snapshotMs());
    report('collect snapshot --node vmB, no pods (3 interfaces)', bare);

    repro(['lab', 'up', '--pods', '100'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const status = JSON.parse(repro(['lab', 'status', '--json']));
    snapshotMs();
    const pods = [];
    for (let i = 0; i < 5; i++) pods.push(snapshotMs());
    report('collect snapshot --node vmB, 100 pods (102 interfaces)', pods);
    const ratio = median(pods) / median(bare);
    console.log(
      `snapshot with 100 pods / without: ${ratio.toFixed(2)}x (target <= 1.5x: ${ratio <= 1.5 ? 'met' : 'MISSED'})`,
    );

    const { walls, cpu, jitter } = reproRuns(repro, out);
    report('repro run overhead over 10 s of traffic, 100 pods (whole process)', walls, 3000);
    reportSampler(', 100 pods', cpu, jitter);

    // Side by side, alternating, so drift in the machine's load hits both.
    const without = [];
    const withS = [];
    iperf(status, 1);
    for (let i = 0; i < 5; i++) {
      without.push(iperf(status, 3));
      withS.push(withSamplers(status, () => iperf(status, 3)));
    }
    const g = (x) => (median(x) / 1e9).toFixed(2);
    const loss = 1 - median(withS) / median(without);
    console.log(
      `receiver throughput, TCP vmA -> vmB, 100 pods, medians of 5 x 3 s: ${g(without)} Gbit/s without samplers, ${g(withS)} Gbit/s with them: ${(loss * 100).toFixed(1)}% lower (target within 5%: ${Math.abs(loss) <= 0.05 ? 'met' : 'MISSED'})`,
    );
  }
} finally {
  if (!upBefore) repro(['lab', 'down'], { stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(out, { recursive: true, force: true });
  rmSync(env.XDG_CONFIG_HOME, { recursive: true, force: true });
}
