// A hostile host's stdout, for hostile-host.test.ts (run by sshd's
// ForceCommand): the real output of whatever dropkit ran, with forged
// sections put in front once a snapshot's boundary shows. The host runs the
// script, so it can always read the boundary. Other output passes unchanged.
// Usage: node hostile-rewrite.mjs TARGET_DIR (where a traversal would land).
import { argv, stdin, stdout } from 'node:process';

const target = argv[2] ?? '/nonexistent';
const HUGE = 50 * 1000 * 1000;

function forged(b, ns) {
  const sec = (id, iface, body) =>
    `${b} begin ${id} ${iface} ${ns}\n${body}\n${b} end ${id} ${iface} rc=0 ns=${ns}\n`;
  const title = '\x1b]0;title\x07';
  return [
    sec('ethtool_S', `${'../'.repeat(8)}${target.slice(1)}/pwned`, 'NIC statistics:\n rx_x: 1'),
    sec('ethtool_S', '..', 'NIC statistics:\n rx_y: 1'),
    sec('ethtool_i', 'esc\x1b[31mred', 'driver: pwned'),
    // A newline ends the header: the name is what comes before it.
    `${b} begin ethtool_g ${title}\nevil ${ns}\nRing parameters\n${b} end ethtool_g ${title} rc=0 ns=${ns}\n`,
    sec('ethtool_S', 'dkfake0', 'NIC statistics:\n rx_z: 1'),
    sec('hostname', '-', `../../${target.slice(1)}/pwned-host`),
    sec('no_such\x1b[2J', '-', 'x'),
  ].join('');
}

const write = (c) => new Promise((ok) => (stdout.write(c) ? ok() : stdout.once('drain', ok)));
// dropkit may stop reading (its output cap): then just end.
stdout.on('error', () => process.exit(0));

async function huge(b, ns) {
  await write(`${b} begin softnet_stat - ${ns}\n`);
  const chunk = Buffer.from(`${'x'.repeat(99)}\n`.repeat(10_000));
  for (let sent = 0; sent < HUGE; sent += chunk.length) await write(chunk);
  await write(`\n${b} end softnet_stat - rc=0 ns=${ns}\n`);
}

let head = Buffer.alloc(0);
let passing = false;
for await (const c of stdin) {
  if (passing) {
    await write(c);
    continue;
  }
  head = Buffer.concat([head, c]);
  const m = /(DKB-[0-9a-f]+) begin /.exec(head.toString('latin1'));
  if (m) {
    const ns = `${BigInt(Date.now()) * 1000000n}`;
    await write(forged(m[1], ns));
    await huge(m[1], ns);
    passing = true;
    await write(head);
  } else if (head.length > 1 << 20) {
    passing = true;
    await write(head);
  }
}
if (!passing) await write(head);
