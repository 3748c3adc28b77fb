import { describe, expect, it } from 'vitest';
import { rankNodes } from '../../../collectors/scan/rank.js';
import { scanFleet } from '../../../collectors/scan/scan.js';
import { scanNode } from '../../../collectors/scan/scan-node.js';
import { formatScan } from '../../../kit/cli/format-scan.js';
import { DropkitError } from '../../../kit/errors.js';
import { createProgress } from '../../../kit/progress.js';
import { Semaphore } from '../../../kit/semaphore.js';
import type { Transport } from '../../../kit/transport/types.js';
import { fixture } from '../../collectors/fixture-files.js';
import { capture } from '../../fakes/captures.js';
import { type Answer, FakeTransport } from '../../fakes/fake-transport.js';
import { snapshotOutput } from '../../fakes/host-output.js';

// `collect scan` without SSH: hosts answer both light snapshots from real
// captures (the second one with drops added where a test wants them), the
// opener fails where a host is unreachable. The lab test (fleet-lab) scans
// real hosts with real traffic.

const FIRST = 'first snapshot: snapshot script';
const SECOND = 'second snapshot: snapshot script';
const SOFTNET = fixture('softnet_stat/aws-ec2-ubuntu-5.4.0-1084-aws-2cpu-11col.txt');

// The capture with `add` more packets in the dropped column (the second) of one CPU's line.
function softnetDropping(cpu: number, add: number): string {
  return SOFTNET.split('\n')
    .map((line, i) => {
      if (i !== cpu || !line) return line;
      const cols = line.split(' ');
      cols[1] = (Number.parseInt(cols[1]!, 16) + add).toString(16).padStart(8, '0');
      return cols.join(' ');
    })
    .join('\n');
}

const sections = (host: 'vmA' | 'vmB', softnet: string) => [
  { id: 'uname', body: capture(`uname-${host}.txt`) },
  { id: 'hostname', body: capture(`hostname-${host}.txt`) },
  { id: 'proc_net_dev', body: capture(`proc-net-dev-${host}.txt`) },
  { id: 'softnet_stat', body: softnet },
];

const answer =
  (host: 'vmA' | 'vmB', softnet: string): Answer =>
  (call) => ({ stdout: snapshotOutput(call.req.script!, sections(host, softnet)) });

const unreachable = (spec: string) =>
  new DropkitError({
    code: 'CONNECT_TIMEOUT',
    message: 'connection timed out after 10 s',
    host: spec,
    step: 'connect',
  });

const quiet = createProgress('quiet');

function fleet(hosts: Record<string, Transport>) {
  return async (spec: string) => {
    const t = hosts[spec];
    if (t) return t;
    throw unreachable(spec);
  };
}

// `ip -s -s -d -j link` (a real capture's shape) for a veth eth0 that has
// dropped `dropped` packets on receive, as a container's or a lab host's does.
function ipLinkJson(dropped: number): string {
  const link = JSON.parse(fixture('ip_link/ip-s-s-json-link-wlp3s0-debian11.json'))[0];
  link.ifname = 'eth0';
  link.linkinfo = { info_kind: 'veth' };
  link.stats64.rx.dropped = dropped;
  return JSON.stringify([link]);
}

describe('collect scan, node by node', () => {
  it('ranks the node that dropped first, lists the healthy and the unreachable, and suggests a pair', async () => {
    const hosts = {
      // Drops 5,000 packets at CPU 1's backlog between its snapshots.
      vmA: new FakeTransport('vmA', {
        [FIRST]: answer('vmA', SOFTNET),
        [SECOND]: answer('vmA', softnetDropping(1, 5000)),
      }),
      vmB: new FakeTransport('vmB', {
        [FIRST]: answer('vmB', SOFTNET),
        [SECOND]: answer('vmB', SOFTNET),
      }),
    };
    const scans = await scanFleet({
      targets: ['vmB', 'azureuser@10.1.2.3', 'vmA'].map((n) => ({ name: n, spec: n })),
      open: fleet(hosts),
      parallel: 2,
      intervalMs: 200,
      connectTimeoutMs: 1000,
      signal: new AbortController().signal,
      progress: quiet,
    });
    const r = rankNodes(scans);
    expect(r.nodes.map((n) => [n.name, n.status, n.rank])).toEqual([
      ['vmA', 'scanned', 1],
      ['vmB', 'scanned', 2],
      ['azureuser@10.1.2.3', 'failed', undefined],
    ]);
    const worst = r.nodes[0]!;
    expect(worst.rates.map((x) => [x.class, x.packets])).toEqual([['BACKLOG', 5000n]]);
    // A rate over the time between the two snapshots, which is at least the interval.
    expect(worst.elapsedS).toBeGreaterThanOrEqual(0.2);
    expect(worst.dropsPerSec).toBeCloseTo(5000 / worst.elapsedS!, 3);
    expect(worst.top?.class).toBe('BACKLOG');
    expect(worst.top?.fix).toMatch(/netdev_max_backlog/);
    expect(r.nodes[1]!.dropsPerSec).toBe(0);
    expect(r.nodes[2]!.error).toMatchObject({ code: 'CONNECT_TIMEOUT', step: 'connect' });
    expect(r.classes).toEqual(['BACKLOG']);
    // Backlog drops are the receiver's: the healthy node sends to the worst one.
    expect(r.suggestion?.command).toEqual(['repro', 'run', '--pair', 'vmB', 'vmA']);
    const text = formatScan(r, 0.2);
    expect(text).toMatch(/^Scanned 2 of 3 nodes over 0\.2 s: 1 dropped packets\.$/m);
    expect(text).toMatch(/^RANK {2}NODE {2}DROPS\/S {2}BACKLOG$/m);
    expect(text).toMatch(
      /^ {2}1 BACKLOG {2}vmA cpu1: 5,000 packets dropped .* — fix: .*netdev_max_backlog/m,
    );
    expect(text).toMatch(/^No drops \(1\): vmB$/m);
    expect(text).toMatch(/^azureuser@10\.1\.2\.3 {2}connect {2}connection timed out after 10 s$/m);
    expect(text).toMatch(/: repro run --pair vmB vmA$/m);
    // Every connection is closed, and each host was asked exactly the two snapshots.
    for (const t of Object.values(hosts)) {
      expect(t.closed).toBe(true);
      expect(t.keys()).toEqual([FIRST, SECOND]);
    }
  });

  it('keeps at most `parallel` nodes connecting or snapshotting, and none while they wait', async () => {
    let busy = 0;
    let peak = 0;
    const slow =
      (host: 'vmA' | 'vmB'): Answer =>
      async (call) => {
        busy++;
        peak = Math.max(peak, busy);
        await new Promise((r) => setTimeout(r, 20));
        busy--;
        return { stdout: snapshotOutput(call.req.script!, sections(host, SOFTNET)) };
      };
    const names = Array.from({ length: 8 }, (_, i) => `vm${i}`);
    const started = performance.now();
    const scans = await scanFleet({
      targets: names.map((n) => ({ name: n, spec: n })),
      open: async (spec) =>
        new FakeTransport(spec, { [FIRST]: slow('vmA'), [SECOND]: slow('vmB') }),
      parallel: 3,
      intervalMs: 400,
      connectTimeoutMs: 1000,
      signal: new AbortController().signal,
      progress: quiet,
    });
    expect(scans.every((s) => s.before && s.after && !s.error)).toBe(true);
    expect(peak).toBe(3);
    // Eight nodes waiting out their 400 ms at the same time, not in three waves.
    expect(performance.now() - started).toBeLessThan(3 * 400);
  });

  it('a node lost between its snapshots fails at the second one; the others are ranked', async () => {
    const lost: Answer = (call) => {
      call.lose();
      return {};
    };
    const scans = await scanFleet({
      targets: [
        { name: 'vmA', spec: 'vmA' },
        { name: 'vmB', spec: 'vmB' },
      ],
      open: fleet({
        vmA: new FakeTransport('vmA', { [FIRST]: answer('vmA', SOFTNET), [SECOND]: lost }),
        vmB: new FakeTransport('vmB', {
          [FIRST]: answer('vmB', SOFTNET),
          [SECOND]: answer('vmB', SOFTNET),
        }),
      }),
      parallel: 16,
      intervalMs: 50,
      connectTimeoutMs: 1000,
      signal: new AbortController().signal,
      progress: quiet,
    });
    expect(scans[0]!.error).toMatchObject({ code: 'CONNECTION_LOST', step: 'second snapshot' });
    expect(scans[0]!.before).toBeDefined();
    expect(scans[1]!.error).toBeUndefined();
  });

  it('a node that hangs past its deadline fails with it, and its late connection is closed', async () => {
    const late = new FakeTransport('vmA', {});
    const r = await scanNode(
      { name: 'vmA', spec: 'vmA' },
      {
        open: () => new Promise((res) => setTimeout(() => res(late), 300)),
        work: new Semaphore(1),
        intervalMs: 50,
        snapshotTimeoutMs: 1000,
        deadlineMs: 100,
        signal: new AbortController().signal,
        onPhase: () => undefined,
      },
    );
    expect(r.error).toMatchObject({ code: 'CONNECT_TIMEOUT', step: 'connect' });
    expect(r.error?.message).toMatch(/deadline \(0 s\)|deadline/);
    await new Promise((res) => setTimeout(res, 400));
    expect(late.closed).toBe(true);
    expect(late.keys()).toEqual([]);
  });

  it('Ctrl-C: a waiting node takes its second snapshot at once, a queued one is not scanned', async () => {
    const stop = new AbortController();
    const phases: string[] = [];
    const scans = await scanFleet({
      targets: [
        { name: 'vmA', spec: 'vmA' },
        { name: 'vmB', spec: 'vmB' },
      ],
      // Ctrl-C while vmA takes its first snapshot, with vmB queued behind it.
      open: async (spec) =>
        new FakeTransport(spec, {
          [FIRST]: (call) => {
            stop.abort();
            return { stdout: snapshotOutput(call.req.script!, sections('vmA', SOFTNET)) };
          },
          [SECOND]: answer('vmA', SOFTNET),
        }),
      parallel: 1,
      intervalMs: 60_000,
      connectTimeoutMs: 1000,
      signal: stop.signal,
      progress: { ...quiet, step: (name, _ms, ok) => phases.push(`${name} ${ok}`) },
    });
    expect(scans[0]!.after).toBeDefined();
    expect(scans[0]!.elapsedMs).toBeLessThan(10_000);
    expect(scans[1]!.error).toMatchObject({ code: 'ABORTED', message: 'not scanned: interrupted' });
    expect(phases.sort()).toEqual(['vmA true', 'vmB false']);
  });

  it('nodes on one kernel: the softnet drops count for the node whose own interface dropped', async () => {
    const BOOT = '6f1c2e0a-8d1b-4c4e-9a55-1b0e2f3a4b5c\n';
    const on =
      (host: 'vmA' | 'vmB', softnet: string, dropped: number): Answer =>
      (call) => ({
        stdout: snapshotOutput(call.req.script!, [
          ...sections(host, softnet),
          { id: 'ip_link_json', body: ipLinkJson(dropped) },
          { id: 'boot_id', body: BOOT },
        ]),
      });
    const after = softnetDropping(1, 900);
    const scans = await scanFleet({
      targets: [
        { name: 'vmA', spec: 'vmA' },
        { name: 'vmB', spec: 'vmB' },
      ],
      open: fleet({
        vmA: new FakeTransport('vmA', {
          [FIRST]: on('vmA', SOFTNET, 7),
          [SECOND]: on('vmA', after, 7),
        }),
        vmB: new FakeTransport('vmB', {
          [FIRST]: on('vmB', SOFTNET, 40),
          [SECOND]: on('vmB', after, 640),
        }),
      }),
      parallel: 4,
      intervalMs: 100,
      connectTimeoutMs: 1000,
      signal: new AbortController().signal,
      progress: quiet,
    });
    const r = rankNodes(scans);
    // vmB's eth0 counted 600 of the kernel's 900: vmB drops, at that count; vmA does not.
    expect(r.nodes.map((n) => [n.name, n.rates.map((x) => [x.class, x.packets])])).toEqual([
      ['vmB', [['BACKLOG', 600n]]],
      ['vmA', []],
    ]);
    expect(r.nodes[0]!.sharesKernelWith).toBe(1);
    // The line says the kernel's count and the node's own share of it.
    expect(r.nodes[0]!.top?.line).toMatch(
      /900 packets dropped .*; 600 of them at this node's own interfaces — fix: /,
    );
  });
});
