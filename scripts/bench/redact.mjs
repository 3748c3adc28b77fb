// `collect redact` throughput and memory: a generated syslog with one IPv4, one MAC and one host
// name per line (targets: 50 MB/s on 20 MB, 0 leaks; peak RSS under 200 MB on a large input),
// and `sos clean` side by side on a small sos-layout archive. Prints figures, never asserts.
// `--1gb` adds a 1 GB syslog (peak RSS on a large input; it needs about 3 GB of free disk).
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'dropkit-bench-redact-'));
const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') };
const MB = 1e6;

// 2,000 hosts, each with its address and MAC, in syslog lines of about 160 bytes.
async function syslog(file, bytes) {
  const out = createWriteStream(file);
  let written = 0;
  for (let i = 0; written < bytes; i++) {
    const h = i % 2000;
    const ip = `10.${(h >> 8) & 255}.${h & 255}.${(h % 250) + 1}`;
    const mac = `00:0d:3a:${((h >> 8) & 255).toString(16).padStart(2, '0')}:${(h & 255).toString(16).padStart(2, '0')}:${(h % 256).toString(16).padStart(2, '0')}`;
    const line = `Dec  7 12:00:${String(i % 60).padStart(2, '0')} web${String(h).padStart(4, '0')} kernel: [${i}.000] IN=eth0 SRC=${ip} MAC=${mac} LEN=60 PROTO=TCP\n`;
    written += line.length;
    if (!out.write(line)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  // Host names are learnt from /etc/hosts-style discovery: a directory with both.
}

// Peak RSS (GNU time) and wall time of one `collect redact` run.
function redact(input, out) {
  mkdirSync(out, { recursive: true });
  const keywords = [];
  const t0 = performance.now();
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      'node',
      'dist/bin/collect.js',
      'redact',
      input,
      '--out',
      out,
      '--json',
      ...keywords,
    ],
    {
      env,
      encoding: 'utf8',
    },
  );
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`collect redact exited ${r.status}: ${r.stderr}`);
  const rssKb = Number(r.stderr.trim().split('\n').at(-1));
  return { ms, rssMb: rssKb / 1024, json: JSON.parse(r.stdout) };
}

// Originals left in the output, read line by line: a 1 GB output is longer than a string can be.
async function countLeaks(file) {
  let leaks = 0;
  let tail = '';
  for await (const chunk of createReadStream(file, {
    encoding: 'latin1',
    highWaterMark: 1 << 20,
  })) {
    const text = tail + chunk;
    const cut = text.lastIndexOf('\n') + 1;
    tail = text.slice(cut);
    leaks += (text.slice(0, cut).match(LEAK) ?? []).length;
  }
  return leaks + (tail.match(LEAK) ?? []).length;
}
const LEAK = /\b10\.\d+\.\d+\.\d+\b|00:0d:3a|web\d{4}/g;

const hostsLine = () => {
  const lines = [];
  for (let h = 0; h < 2000; h++)
    lines.push(`10.${(h >> 8) & 255}.${h & 255}.1 web${String(h).padStart(4, '0')}.corp.example`);
  return `${lines.join('\n')}\n`;
};

try {
  const sizes = [
    ['20 MB', 20 * MB],
    ['200 MB', 200 * MB],
  ];
  if (process.argv.includes('--1gb')) sizes.push(['1 GB', 1000 * MB]);
  for (const [label, bytes] of sizes) {
    const input = join(dir, `logs-${bytes}`);
    mkdirSync(join(input, 'etc'), { recursive: true });
    spawnSync('sh', ['-c', `cat > "${join(input, 'etc/hosts')}"`], { input: hostsLine() });
    await syslog(join(input, 'syslog'), bytes);
    const size = statSync(join(input, 'syslog')).size;
    const r = redact(input, join(dir, `out-${bytes}`));
    const outFile = join(r.json.outputs[0].output, 'syslog');
    const leaks = await countLeaks(outFile);
    console.log(
      `collect redact, ${label} syslog (IP, MAC and host name per line): ${(size / MB / (r.ms / 1000)).toFixed(1)} MB/s whole run (3 passes), peak RSS ${r.rssMb.toFixed(0)} MB, ${leaks} leaks (target >= 50 MB/s, < 200 MB)`,
    );
    rmSync(input, { recursive: true, force: true });
    rmSync(join(dir, `out-${bytes}`), { recursive: true, force: true });
  }
  // Side by side with sos clean on a small archive: a real sos report of this machine.
  const small = join(dir, 'small');
  mkdirSync(small);
  spawnSync('sos', ['report', '--batch', '-o', 'networking', '--tmp-dir', small], {
    timeout: 300_000,
  });
  const name = readdirSync(small).find((n) => n.endsWith('.tar.xz'));
  if (!name) throw new Error('sos report wrote no .tar.xz');
  const tarball = join(small, name);
  const ours = redact(tarball, join(dir, 'out-small')).ms;
  let sosMs;
  // sos clean wants its scratch directory to exist.
  mkdirSync(join(dir, 'sos-clean'), { recursive: true });
  const t0 = performance.now();
  const s = spawnSync('sos', ['clean', '--batch', '--tmp-dir', join(dir, 'sos-clean'), tarball], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (s.status === 0) sosMs = performance.now() - t0;
  console.log(
    `real sos report (-o networking): collect redact ${ours.toFixed(0)} ms, sos clean ${sosMs === undefined ? `failed (${(s.stderr || s.stdout || '').trim().split('\n').at(-1)})` : `${sosMs.toFixed(0)} ms, ratio ${(sosMs / ours).toFixed(1)}x`}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
