import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY_SH } from '../../repro/repro-sh-summary.js';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const hasBusybox = (await execa('busybox', ['true'], { reject: false })).exitCode === 0;

let dir: string;
let busyboxBin: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-summary-'));
  // A PATH whose awk is busybox's, to run the summaries under both awks.
  busyboxBin = join(dir, 'bin');
  await execa('mkdir', [busyboxBin]);
  if (hasBusybox)
    await symlink((await execa('which', ['busybox'])).stdout, join(busyboxBin, 'awk'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const awks = [
  { name: 'system awk', path: process.env['PATH'] ?? '' },
  ...(hasBusybox ? [{ name: 'busybox awk', path: '' }] : []),
];

// Runs one summary function of repro.sh with the given files.
async function summary(fn: string, args: string[], awkPath: string): Promise<string> {
  const path = awkPath || `${busyboxBin}:${process.env['PATH'] ?? ''}`;
  const r = await execa('sh', ['-c', `${SUMMARY_SH}\n${fn} "$@"`, 'sh', ...args], {
    env: { PATH: path },
  });
  return r.stdout;
}

async function file(name: string, text: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

describe.each(awks)('repro.sh summaries with $name', ({ path }) => {
  it('softnet_stat: hex per CPU, deltas, 32-bit wrap, CPU id from column 13', async () => {
    const before = await readFile(
      join(FIXTURES, 'softnet_stat/hjr3-softnet-stat-kernel-5_10_47.txt'),
      'utf8',
    );
    const rows = before.trim().split('\n');
    // CPU 0 drops 0x10 more and squeezes 2 more; CPU 1's dropped wraps.
    const after = [
      rows[0]!.replace(/^(\S+) 00000000 00000383/, '$1 00000010 00000385'),
      rows[1]!.replace(/^(\S+) 00000000/, '$1 00000005'),
    ];
    const wrapBefore = [rows[0], rows[1]!.replace(/^(\S+) 00000000/, '$1 fffffffe')];
    const out = await summary(
      'softnet_summary',
      [await file('b', `${wrapBefore.join('\n')}\n`), await file('a', `${after.join('\n')}\n`)],
      path,
    );
    expect(out).toContain('softnet_stat per CPU');
    const table = out.split('\n').filter((l) => /^\d/.test(l));
    expect(table.map((l) => l.trim().split(/\s+/))).toEqual([
      ['0', '0', '16', '16', '899', '901', '2'],
      ['1', '4294967294', '5', '7', '193', '193', '0'],
    ]);
    expect(out).toContain('total: 23 dropped, 2 squeezed during the run');
  });

  it('softnet_stat without the CPU id column (older kernels): the row number', async () => {
    const text = await readFile(
      join(FIXTURES, 'softnet_stat/prometheus-node_exporter-fixture-11col.txt'),
      'utf8',
    );
    const f = await file('old', text);
    const out = await summary('softnet_summary', [f, f], path);
    const cpus = out
      .split('\n')
      .filter((l) => /^\d/.test(l))
      .map((l) => l.split(/\s+/)[0]);
    expect(cpus).toEqual(
      text
        .trim()
        .split('\n')
        .map((_, i) => String(i)),
    );
    expect(out).toMatch(/^1 +41 +41 +0 /m);
    expect(await summary('softnet_summary', [f, join(dir, 'missing')], path)).toMatch(
      /not captured/,
    );
  });

  it('interfaces whose drop counters moved, 64-bit values compared as text', async () => {
    const stat = (n: string, v: string) => `/sys/class/net/${n.replace(' ', '/statistics/')} ${v}`;
    const before = [
      stat('eth0 rx_dropped', '10'),
      stat('eth0 rx_missed_errors', '100'),
      stat('eth0 rx_bytes', '5'),
      stat('veth1 rx_dropped', '18446744073709551615'),
      stat('enP1 rx_missed_errors', '7'),
    ];
    const after = [
      stat('eth0 rx_dropped', '10'),
      stat('eth0 rx_missed_errors', '250'),
      stat('eth0 rx_bytes', '9999'),
      stat('veth1 rx_dropped', '18446744073709551615'),
      stat('enP1 rx_missed_errors', '9'),
    ];
    const out = await summary(
      'iface_summary',
      [await file('ib', `${before.join('\n')}\n`), await file('ia', `${after.join('\n')}\n`)],
      path,
    );
    const moved = out.split('\n').filter((l) => l.startsWith('  '));
    expect(moved.map((l) => l.trim().split(/\s+/))).toEqual([
      ['eth0', 'rx_missed_errors', '100', '->', '250', '(+150)'],
      ['enP1', 'rx_missed_errors', '7', '->', '9', '(+2)'],
    ]);
  });

  it('/proc/net/snmp deltas', async () => {
    const snmp = (rcvbuf: number, retrans: number) =>
      [
        'Ip: Forwarding DefaultTTL',
        'Ip: 1 64',
        'Tcp: RtoAlgorithm RetransSegs InErrs',
        `Tcp: 1 ${retrans} 0`,
        'Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors',
        `Udp: 5 0 ${rcvbuf} 9 ${rcvbuf}`,
        '',
      ].join('\n');
    const out = await summary(
      'snmp_summary',
      [await file('sb', snmp(3, 10)), await file('sa', snmp(50, 12))],
      path,
    );
    expect(out).toBe(
      '/proc/net/snmp during the run: Udp:InErrors +47, Udp:RcvbufErrors +47, Udp:NoPorts +0, Tcp:RetransSegs +2, Tcp:InErrs +0',
    );
  });

  it('phase_line from real iperf3 JSON', async () => {
    const json = (n: string) => join(FIXTURES, 'iperf3', n);
    const udp = JSON.parse(await readFile(json('udp-burst-P2-client.json'), 'utf8')) as {
      end: { sum_received: { lost_packets: number; packets: number } };
    };
    const { lost_packets, packets } = udp.end.sum_received;
    expect(await summary('phase_line', [json('udp-burst-P2-client.json'), 'burst'], path)).toMatch(
      new RegExp(
        `^phase burst: sent [\\d.]+ Gbit/s, received [\\d.]+ Gbit/s, lost ${lost_packets} of ${packets} packets \\([\\d.]+%\\)$`,
      ),
    );
    expect(await summary('phase_line', [json('udp-burst-P2-server.json'), 'b'], path)).toMatch(
      /^phase b: received [\d.]+ Gbit\/s, lost \d+ of \d+ packets/,
    );
    expect(await summary('phase_line', [json('tcp-P2-client.json'), 't'], path)).toMatch(
      /^phase t: sent [\d.]+ Gbit\/s, received [\d.]+ Gbit\/s, \d+ TCP retransmits$/,
    );
    expect(await summary('phase_line', [json('error-refused-client.json'), 'e'], path)).toBe(
      'phase e: iperf3 error: unable to connect to server: Connection refused',
    );
    expect(await summary('phase_line', [join(dir, 'missing.json'), 'm'], path)).toBe(
      'phase m: no result',
    );
  });
});
