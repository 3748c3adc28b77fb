// Helpers shared by the benchmark scripts: they time whole CLI processes, as
// a user would experience them, and print medians, never assert.
import { execFileSync, spawnSync } from 'node:child_process';

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function timeRun(cmd, args, env = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

// A command's wall time and peak resident set size (GNU time's %M, KiB).
export function measured(cmd, args, env = {}) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}: ${r.stderr.slice(-500)}`);
  const kib = Number(r.stderr.trim().split('\n').pop());
  return { ms, mib: kib / 1024, stdout: r.stdout };
}

export function report(name, samples, targetMs) {
  const med = median(samples);
  const verdict =
    targetMs === undefined
      ? ''
      : med <= targetMs
        ? `  (target < ${targetMs} ms: met)`
        : `  (target < ${targetMs} ms: MISSED)`;
  console.log(
    `${name}: median ${med.toFixed(0)} ms over ${samples.length} runs [min ${Math.min(...samples).toFixed(0)}, max ${Math.max(...samples).toFixed(0)}]${verdict}`,
  );
}

// Brings the bench lab up if needed; returns a function that restores the
// state found (down only if we brought it up).
export function ensureLab(env) {
  const status = JSON.parse(
    execFileSync('node', ['dist/bin/repro.js', 'lab', 'status', '--json'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    }),
  );
  if (status.up) return () => undefined;
  execFileSync('node', ['dist/bin/repro.js', 'lab', 'up'], {
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  return () =>
    execFileSync('node', ['dist/bin/repro.js', 'lab', 'down'], {
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
}

// Three `repro run --duration 10 --json` of the microburst profile: the
// whole process's time beyond the traffic, and each host's sampler CPU and
// p99 interval deviation, as the run reports them. `run(args)` runs the CLI
// and returns its stdout.
export function reproRuns(run, out) {
  const walls = [];
  const cpu = [];
  const jitter = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const res = JSON.parse(
      run([
        'run',
        '--pair',
        'vmA',
        'vmB',
        '--profile',
        'microburst',
        '--duration',
        '10',
        '--out',
        out,
        '--json',
      ]),
    );
    walls.push(performance.now() - t0 - 10_000);
    for (const s of res.sampler) {
      if (s.cpuPercent !== undefined) cpu.push(s.cpuPercent);
      jitter.push(s.jitterP99Ms);
    }
  }
  return { walls, cpu, jitter };
}

// The sampler's figures against its targets (at most 2% of a core, p99
// within ±20 ms of the interval).
export function reportSampler(label, cpu, jitter) {
  console.log(
    `sampler CPU at 100 ms${label}: median ${median(cpu).toFixed(2)}% of one core, max ${Math.max(...cpu).toFixed(2)}% over ${cpu.length} host-runs (target <= 2%: ${Math.max(...cpu) <= 2 ? 'met' : 'MISSED'})`,
  );
  console.log(
    `sampler p99 deviation from the 100 ms interval${label}: median ${median(jitter).toFixed(1)} ms, max ${Math.max(...jitter).toFixed(1)} ms (target within ±20 ms: ${Math.max(...jitter) <= 20 ? 'met' : 'MISSED'})`,
  );
}
