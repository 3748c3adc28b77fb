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
