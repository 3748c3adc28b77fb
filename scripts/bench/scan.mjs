// Targets (fleets issue): `collect scan` of 64 lab hosts takes at most 4 times
// as long as a scan of one host with the same interval; peak RSS under 300
// MB; never more than --parallel SSH handshakes in flight (counted where
// ssh2 starts and ends each one, reported by the scan's --json). Its own lab
// of 64 hosts (`fbench`), brought up and down here if it was not up.

import { execFileSync } from 'node:child_process';
import { measured, median } from './lib.mjs';

const env = { DROPKIT_LAB: 'fbench' };
const INTERVAL = '10';
const RUNS = 3;

const lab = (args, stdio = ['ignore', 'pipe', 'inherit']) =>
  execFileSync('node', ['dist/bin/repro.js', 'lab', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio,
  });

// Up with 64 hosts; down at the end only if it was not up before.
function labUp(hosts) {
  const wasUp = JSON.parse(lab(['status', '--json'])).up;
  lab(['up', '--hosts', String(hosts)], ['ignore', 'ignore', 'ignore']);
  return () => {
    if (!wasUp) lab(['down'], ['ignore', 'ignore', 'ignore']);
  };
}

function scan(args) {
  const r = measured(
    'node',
    ['dist/bin/collect.js', 'scan', ...args, '--interval', INTERVAL, '--json'],
    env,
  );
  const doc = JSON.parse(r.stdout);
  const failed = doc.nodes.filter((n) => n.status !== 'scanned');
  if (failed.length)
    throw new Error(`scan: ${failed.length} nodes not scanned: ${JSON.stringify(failed[0])}`);
  return { ms: r.ms, mib: r.mib, nodes: doc.nodes.length, hs: doc.handshakes };
}

const down = labUp(64);
try {
  const status = JSON.parse(lab(['status', '--json']));
  const one = [];
  const fleet = [];
  const bounded = [];
  // Alternated, so a slow moment of the machine falls on both.
  for (let i = 0; i < RUNS; i++) {
    one.push(scan(['--node', 'vmA']));
    fleet.push(scan(['--nodes-file', status.nodesFile]));
    bounded.push(scan(['--nodes-file', status.nodesFile, '--parallel', '4']));
  }
  const m1 = median(one.map((r) => r.ms));
  const m64 = median(fleet.map((r) => r.ms));
  const ratio = m64 / m1;
  console.log(
    `collect scan, ${INTERVAL} s interval: 1 host median ${m1.toFixed(0)} ms, ${fleet[0].nodes} hosts median ${m64.toFixed(0)} ms: ${ratio.toFixed(2)}x (target <= 4x: ${ratio <= 4 ? 'met' : 'MISSED'})`,
  );
  const rss = Math.max(...fleet.map((r) => r.mib), ...bounded.map((r) => r.mib));
  console.log(
    `collect scan of ${fleet[0].nodes} hosts: peak RSS ${rss.toFixed(0)} MiB (target < 300 MB: ${rss * 1.048576 < 300 ? 'met' : 'MISSED'})`,
  );
  const peak16 = Math.max(...fleet.map((r) => r.hs.peakInFlight));
  const peak4 = Math.max(...bounded.map((r) => r.hs.peakInFlight));
  console.log(
    `SSH handshakes in flight: at most ${peak16} with --parallel 16 (${fleet[0].hs.handshakes} handshakes per scan), at most ${peak4} with --parallel 4 (${peak16 <= 16 && peak4 <= 4 ? 'never above the bound' : 'ABOVE THE BOUND'}); --parallel 4 median ${median(bounded.map((r) => r.ms)).toFixed(0)} ms`,
  );
} finally {
  down();
}
