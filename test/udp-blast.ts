import { execa, type ResultPromise } from 'execa';

// Real traffic for lab tests that need a fleet under load: UDP bursts from
// this machine's namespace (or a lab host's) to lab hosts, 256 datagrams to
// each address in turn,
// to the discard port (nothing listens: the packets are dropped by UDP after
// the backlog, where a scan's drops are counted). Pinned to CPU 0, so that a
// receiver whose RPS steers to CPU 1 gets its backlog filled from afar, as the
// lab's impairment intends. Only lab addresses (198.18.0.0/15), only from a
// namespace the test created.
const BLAST = `
const dgram = require('node:dgram');
const [, secs, ...addrs] = process.argv;
const s = dgram.createSocket('udp4');
const buf = Buffer.alloc(1200);
const BURST = 256;
const end = Date.now() + Number(secs) * 1000;
function burst() {
  if (Date.now() > end) return s.close();
  let pending = 0;
  for (const a of addrs) for (let i = 0; i < BURST; i++) {
    pending++;
    s.send(buf, 9, a, () => { if (--pending === 0) setImmediate(burst); });
  }
}
burst();
`;

// From this machine's own namespace unless `netns` names a lab host's: sent
// from here, the packets reach the hosts through the lab's bridge without
// passing through any backlog on the way, so a lab host's counters show only
// what its own receive path dropped.
export function udpBlast(seconds: number, addrs: readonly string[], netns?: string): ResultPromise {
  for (const a of addrs)
    if (!a.startsWith('198.18.') && !a.startsWith('198.19.'))
      throw new Error(`not a lab address: ${a}`);
  const blast = ['taskset', '-c', '0', process.execPath, '-e', BLAST, String(seconds), ...addrs];
  const [cmd, ...args] = netns ? ['ip', 'netns', 'exec', netns, ...blast] : blast;
  return execa(cmd!, args, { reject: false });
}
