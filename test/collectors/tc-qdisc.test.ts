import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { hostView } from '../../collectors/analyze-json.js';
import { toJson } from '../../collectors/json.js';
import { loadCapture } from '../../collectors/offline/load.js';
import { COLLECTORS } from '../../collectors/registry.js';
import { buildSnapshot } from '../../collectors/snapshot/build.js';
import type { Section } from '../../collectors/snapshot/frames.js';
import { parseTcQdisc, type Qdisc } from '../../collectors/tc-qdisc.js';
import { fixture, listCaptures } from './fixture-files.js';

const NETNS = 'tc_qdisc/debian12-iproute2-6.1-netns-mq-tbf-htb-drops-backlog.txt';
const DEV = 'tc_qdisc/debian12-iproute2-6.1-dev-filter-mq-children-no-dev.txt';

const find = (qs: Qdisc[], dev: string | undefined, handle: string, parent?: string) =>
  qs.find((q) => q.dev === dev && q.handle === handle && (!parent || q.parent === parent));

describe('tc -s qdisc show', () => {
  it('debian12-iproute2-6.1-netns-mq-tbf-htb-drops-backlog.txt: every qdisc, its counters and backlog', () => {
    const { value, warnings } = parseTcQdisc(fixture(NETNS));
    expect(warnings).toEqual([]);
    expect(value.qdiscs.map((q) => `${q.dev} ${q.kind} ${q.handle} ${q.parent}`)).toEqual([
      'lo noqueue 0: root',
      'dktc0 mq 1: root',
      'dktc0 pfifo 8001: 1:3',
      'dktc0 pfifo_fast 0: 1:2',
      'dktc0 pfifo_fast 0: 1:1',
      'dktc0 tbf 8002: 1:4',
      'dktc0 clsact ffff: ffff:fff1',
      'dktcp1 pfifo_head_drop 8006: root',
      'dktcp0 htb 1: root',
      'dktcp0 bfifo 10: 1:10',
    ]);
    // ` Sent 11330794 bytes 7872 pkt (dropped 231858, overlimits 246749 requeues 0) `
    // ` backlog 20188b 14p requeues 0`
    const tbf = find(value.qdiscs, 'dktc0', '8002:')!;
    expect(tbf.counters).toEqual({
      bytes: 11330794n,
      packets: 7872n,
      drops: 231858n,
      overlimits: 246749n,
      requeues: 0n,
    });
    expect([tbf.backlog, tbf.qlen]).toEqual([20188n, 14n]);
    expect(tbf.options).toBe('rate 20Mbit burst 16Kb lat 2ms');
    expect(tbf.details).toEqual([]);
    // `refcnt` is tc's, not the kind's: left out of the options.
    const htb = find(value.qdiscs, 'dktcp0', '1:')!;
    expect(htb.options).toBe('r2q 10 default 0x10 direct_packets_stat 0 direct_qlen 1000');
    expect(htb.counters['drops']).toBe(51471n);
    expect(find(value.qdiscs, 'lo', '0:')).toMatchObject({ options: '', backlog: 0n, qlen: 0n });
  });

  it('mq prints the sums of its children', () => {
    const { value } = parseTcQdisc(fixture(NETNS));
    const children = value.qdiscs.filter((q) => q.dev === 'dktc0' && /^1:\d$/.test(q.parent ?? ''));
    expect(children).toHaveLength(4);
    const mq = find(value.qdiscs, 'dktc0', '1:')!;
    for (const name of ['bytes', 'packets', 'drops', 'overlimits'])
      expect(children.reduce((sum, q) => sum + q.counters[name]!, 0n)).toBe(mq.counters[name]);
  });

  it('debian12-iproute2-6.1-dev-filter-mq-children-no-dev.txt: no dev field when tc is given one', () => {
    const { value, warnings } = parseTcQdisc(fixture(DEV));
    expect(warnings).toEqual([]);
    expect(value.qdiscs).toHaveLength(6);
    expect(value.qdiscs.every((q) => q.dev === undefined)).toBe(true);
    expect(value.qdiscs[0]).toMatchObject({ kind: 'mq', handle: '1:', parent: 'root' });
    expect(find(value.qdiscs, undefined, '8002:', '1:4')!.counters['drops']).toBe(275992n);
  });

  it('fq_codel and fq children of mq: their own statistics kept as printed', () => {
    const text = [
      'qdisc mq 0: dev eth0 root ',
      ' Sent 5000 bytes 40 pkt (dropped 3, overlimits 0 requeues 1) ',
      ' backlog 0b 0p requeues 1',
      'qdisc fq_codel 0: dev eth0 parent :1 limit 10240p flows 1024 quantum 1514 target 5ms interval 100ms memory_limit 32Mb ecn drop_batch 64 ',
      ' Sent 3000 bytes 25 pkt (dropped 3, overlimits 0 requeues 1) ',
      ' backlog 0b 0p requeues 1',
      '  maxpacket 1514 drop_overlimit 3 new_flow_count 7 ecn_mark 0',
      '  new_flows_len 0 old_flows_len 1',
      'qdisc fq 8001: dev eth0 parent :2 limit 10000p flow_limit 100p buckets 1024 orphan_mask 1023 quantum 3028b initial_quantum 15140b',
      ' Sent 2000 bytes 15 pkt (dropped 0, overlimits 0 requeues 0) ',
      ' backlog 0b 0p requeues 0',
      '  flows 2 (inactive 2 throttled 0)',
      '  gc 0 highprio 0 throttled 4 latency 10.2us',
    ].join('\n');
    const { value, warnings } = parseTcQdisc(text);
    expect(warnings).toEqual([]);
    const [mq, codel, fq] = value.qdiscs;
    expect(mq).toMatchObject({ kind: 'mq', parent: 'root', details: [] });
    expect(codel).toMatchObject({ kind: 'fq_codel', handle: '0:', parent: ':1' });
    expect(codel!.counters['drops']).toBe(3n);
    expect(codel!.details).toEqual([
      'maxpacket 1514 drop_overlimit 3 new_flow_count 7 ecn_mark 0',
      'new_flows_len 0 old_flows_len 1',
    ]);
    expect(fq!.options).toMatch(/^limit 10000p flow_limit 100p/);
    expect(fq!.details).toEqual([
      'flows 2 (inactive 2 throttled 0)',
      'gc 0 highprio 0 throttled 4 latency 10.2us',
    ]);
  });

  it('a qdisc with no statistics, old and offloaded layouts, rounded backlogs, u64 counters', () => {
    const text = [
      'qdisc noqueue 0: dev lo root refcnt 2 ',
      // iproute2 of the 2.6/3.x era: no requeues in the parentheses, a rate before the backlog.
      'qdisc pfifo_fast 0: dev eth0 root bands 3 priomap  1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1',
      ' Sent 18446744073709551615 bytes 12 pkt (dropped 1, overlimits 0) ',
      ' rate 0bit 0pps backlog 64Kb 3p requeues 5 ',
      'qdisc ingress ffff: dev eth0 parent ffff:fff1 ----------------',
      ' Sent 1 bytes 1 pkt (dropped 0, overlimits 0 requeues 0) ',
      ' backlog 2Mb 9p requeues 0',
      'qdisc mqprio 8001: dev eth1 root tc 2 map 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1',
      '             queues:(0:3) (4:7) ',
      ' Sent 10 bytes 1 pkt (dropped 0, overlimits 0 requeues 0) ',
      ' Sent software 4 bytes 1 pkt',
      ' Sent hardware 6 bytes 0 pkt',
      ' backlog 0b 0p requeues 0',
    ].join('\r\n');
    const { value, warnings } = parseTcQdisc(text);
    expect(warnings).toEqual([]);
    const [noqueue, fast, ingress, mqprio] = value.qdiscs;
    expect(noqueue).toEqual({
      kind: 'noqueue',
      handle: '0:',
      dev: 'lo',
      parent: 'root',
      counters: {},
      options: '',
      details: [],
    });
    expect(fast!.counters).toEqual({
      bytes: 18446744073709551615n,
      packets: 12n,
      drops: 1n,
      overlimits: 0n,
      requeues: 5n,
    });
    expect([fast!.backlog, fast!.qlen]).toEqual([65536n, 3n]);
    expect(fast!.details).toEqual(['rate 0bit 0pps backlog 64Kb 3p requeues 5']);
    expect(ingress).toMatchObject({ options: '----------------', backlog: 2097152n, qlen: 9n });
    expect(mqprio!.counters['bytes']).toBe(10n);
    expect(mqprio!.details).toEqual([
      'queues:(0:3) (4:7)',
      'Sent software 4 bytes 1 pkt',
      'Sent hardware 6 bytes 0 pkt',
    ]);
  });

  it('warns about text that is no qdisc, and keeps going', () => {
    const { value, warnings } = parseTcQdisc(
      [
        'Error: Cannot find device "eth9".',
        'qdisc pfifo 1: dev eth0 root limit 5p',
        ' Sent 12M bytes 3 pkt (dropped 0, overlimits 0 requeues 0)',
        ' backlog 0b 0p requeues 0',
        'qdisc',
      ].join('\n'),
    );
    expect(value.qdiscs.map((q) => q.kind)).toEqual(['pfifo']);
    expect(value.qdiscs[0]!.counters).toEqual({});
    expect(value.qdiscs[0]!.details).toEqual([
      'Sent 12M bytes 3 pkt (dropped 0, overlimits 0 requeues 0)',
      'qdisc',
    ]);
    expect(warnings).toEqual([
      'line 1: not a qdisc: "Error: Cannot find device \\"eth9\\"."',
      'line 3: unexpected statistics line: " Sent 12M bytes 3 pkt (dropped 0, overlimits 0 requeues 0)"',
    ]);
    expect(parseTcQdisc('')).toEqual({ value: { qdiscs: [] }, warnings: [] });
  });

  it('never throws, whatever the bytes, and a long line costs linear time', () => {
    const lines = listCaptures().flatMap((f) => fixture(f).split('\n'));
    const text = fc.array(fc.oneof(fc.constantFrom(...lines), fc.string({ maxLength: 60 })), {
      maxLength: 40,
    });
    fc.assert(
      fc.property(text, (ls) => {
        const r = parseTcQdisc(ls.join('\n'));
        return Array.isArray(r.value.qdiscs) && r.warnings.length <= 51;
      }),
      { numRuns: 300 },
    );
    const started = performance.now();
    parseTcQdisc(`qdisc a b${' '.repeat(200_000)}x\n Sent 1${' '.repeat(200_000)}x`);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

const section = (id: string, text: string, exitCode = 0): Section => ({
  id,
  stdout: Buffer.from(text),
  stderr: '',
  exitCode,
  truncated: false,
});
const build = (sections: Section[]) =>
  buildSnapshot({
    host: 'h',
    takenAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    sections,
    specs: COLLECTORS,
  }).snapshot;

describe('tc qdiscs in the snapshot and in collect analyze --json', () => {
  it('land in snapshot.qdiscs and in each host of the JSON, counters exact', () => {
    const snapshot = build([
      section('sysfs_net', 'lo/mtu 65536'),
      section('tc_qdisc', fixture(NETNS)),
    ]);
    expect(snapshot.warnings).toEqual([]);
    expect(snapshot.qdiscs).toHaveLength(10);
    expect(snapshot.sources.map((s) => s.rawPath)).toContain('net/tc-s-qdisc.txt');
    const json = JSON.parse(toJson(hostView(snapshot)));
    expect(json.qdiscs[5]).toEqual({
      dev: 'dktc0',
      kind: 'tbf',
      handle: '8002:',
      parent: '1:4',
      options: 'rate 20Mbit burst 16Kb lat 2ms',
      counters: { bytes: 11330794, packets: 7872, drops: 231858, overlimits: 246749, requeues: 0 },
      backlog: 20188,
      qlen: 14,
    });
    expect(json.qdiscs[0]).toMatchObject({ dev: 'lo', kind: 'noqueue', parent: 'root' });
  });

  it('absent when tc was not there: no field in the snapshot, null in the JSON', () => {
    const snapshot = build([section('sysfs_net', 'lo/mtu 65536'), section('tc_qdisc', '', 127)]);
    expect(snapshot).not.toHaveProperty('qdiscs');
    expect(snapshot.warnings).toEqual([]);
    expect(snapshot.sources.find((s) => s.id === 'tc_qdisc')?.reason).toBe('tool missing');
    expect(JSON.parse(toJson(hostView(snapshot))).qdiscs).toBeNull();
  });

  describe('from a sos report', () => {
    const root = mkdtempSync(join(tmpdir(), 'dropkit-sos-tc-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const put = (rel: string, text: string) => {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    };

    it('reads sos_commands/networking/tc_-s_qdisc_show', async () => {
      put('sos_commands/networking/tc_-s_qdisc_show', fixture(DEV));
      put('proc/net/dev', fixture('proc_net_dev/debian11-laptop-lo-enp0s31f6-wlp3s0.txt'));
      put('hostname', 'node-1\n');
      const { after } = await loadCapture(root);
      expect(after[0]!.qdiscs?.map((q) => q.kind)).toEqual([
        'mq',
        'pfifo',
        'pfifo_fast',
        'pfifo_fast',
        'tbf',
        'clsact',
      ]);
    });
  });
});
