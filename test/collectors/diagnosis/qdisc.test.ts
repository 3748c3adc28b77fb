import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MQ_CAVEAT, TC_CAVEAT } from '../../../collectors/diagnosis/advice/qdisc-fix.js';
import {
  checkedCounters,
  diagnose,
  findingLine,
  summarizeNoFindings,
} from '../../../collectors/diagnosis/engine.js';
import type { DropTrace } from '../../../collectors/diagnosis/input.js';
import type { Snapshot } from '../../../collectors/model.js';
import { loadCapture } from '../../../collectors/offline/load.js';
import { parseTcQdisc, type Qdisc } from '../../../collectors/tc-qdisc.js';
import { fixture } from '../fixture-files.js';
import { shape } from './findings-shape.js';

// QDISC from `tc -s qdisc show`. Captures (test/fixtures/SOURCES.md): a UDP burst through a
// 4-queue veth under mq (tbf 10: with a pfifo 11: limit 5 under it, tbf 20:, pfifo_fast; 1:4
// replaced by pfifo 40: between the captures), a tbf that only throttled, the earlier netns
// capture (mq + tbf, htb + bfifo), and excerpts of public captures for fq_codel and fq, which
// the capturing kernel lacks.
const RUN_BEFORE = 'debian12-iproute2-6.1-netns-mq-tbf-pfifo-udp-burst-before.txt';
const RUN_AFTER = 'debian12-iproute2-6.1-netns-mq-tbf-pfifo-udp-burst-after.txt';
const THROTTLE_BEFORE = 'debian12-iproute2-6.1-netns-tbf-overlimits-only-before.txt';
const THROTTLE_AFTER = 'debian12-iproute2-6.1-netns-tbf-overlimits-only-after.txt';
const NETNS = 'debian12-iproute2-6.1-netns-mq-tbf-htb-drops-backlog.txt';
const SQM_AQM = 'sqm-scripts-htb-fq_codel-aqm-drops-excerpt.txt';
const FQ_CODEL_MEMORY = 'openwrt-qosmate-mq-fq_codel-drop-overmemory-excerpt.txt';
const FQ_FLOWS = 'cilium-bandwidth-manager-mq-fq-flows_plimit-dev-filter-excerpt.txt';

const T0 = '2026-01-01T00:00:00.000Z';
const T5 = '2026-01-01T00:00:05.000Z';

function host(name: string, takenAt: string, tcText: string): Snapshot {
  const { value, warnings } = parseTcQdisc(tcText);
  expect(warnings).toEqual([]);
  return {
    schema: 'dropkit.snapshot/1',
    host: name,
    takenAt,
    durationMs: 1,
    facts: { hostname: name },
    interfaces: [],
    softnet: [],
    sysctls: {},
    snmp: {},
    sources: [],
    warnings: [],
    qdiscs: value.qdiscs,
  };
}

const tc = (file: string) => fixture(`tc_qdisc/${file}`);
const run = () => ({
  before: host('vmA', T0, tc(RUN_BEFORE)),
  after: host('vmA', T5, tc(RUN_AFTER)),
});
const members = (f: { evidence: { name: string; meaning?: string; source: string }[] }) =>
  f.evidence.filter((e) => e.source !== 'config').map((e) => e.name);

// A later copy of a real capture, one qdisc's counters raised (and its statistics lines, when
// given): for a delta no capture has.
function raised(s: Snapshot, handle: string, parent: string, by: Record<string, bigint>): Snapshot {
  const after = structuredClone(s);
  after.takenAt = T5;
  const q = after.qdiscs?.find((x) => x.handle === handle && x.parent === parent);
  if (!q) throw new Error(`no qdisc ${handle} parent ${parent}`);
  for (const [name, add] of Object.entries(by)) {
    if (q.counters[name] !== undefined) q.counters[name] += add;
    else bumpDetail(q, name, add);
  }
  return after;
}

function bumpDetail(q: Qdisc, name: string, add: bigint): void {
  const re = new RegExp(`(^|\\s)${name} (\\d+)`);
  const i = q.details.findIndex((l) => re.test(l));
  if (i < 0) throw new Error(`no ${name} in ${q.kind} ${q.handle}`);
  q.details[i] = q.details[i]!.replace(re, (_m, s, v) => `${s}${name} ${BigInt(v) + add}`);
}

describe('QDISC: a UDP burst through mq, tbf and pfifo (real before/after)', () => {
  const { before, after } = run();
  const findings = diagnose({ before, after });

  it('is one finding on the device, naming each qdisc that dropped', () => {
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(shape(f!)).toMatchObject({
      class: 'QDISC',
      severity: 'critical',
      confidence: 'high',
      iface: 'dkqd0',
      title: '26,252 packets dropped by 2 qdiscs (tbf, pfifo)',
    });
    expect(f!.sinceBoot).toBe(false);
    expect(findingLine(f!)).toBe(
      'QDISC    vmA dkqd0: 26,252 packets dropped by 2 qdiscs (tbf, pfifo) — fix: tc qdisc change dev dkqd0 parent 1:2 tbf rate 1Mbit burst 1500b latency 48ms',
    );
    expect(f!.explanation).toContain(
      'tbf 20: (parent 1:2) shapes to rate 1Mbit (burst 1500b) and dropped 15,805 packets that would have waited longer than 12ms for it.',
    );
    expect(f!.explanation).toContain(
      'pfifo 11: (parent 10:1) was full (limit 5p): 10,447 packets dropped. It sits under tbf 10: (parent 1:1), which holds traffic to rate 1Mbit',
    );
  });

  it('counts mq and tbf 10: (which repeat their children’s drops) once', () => {
    const [f] = findings;
    // mq 1: went from 0 to 26,252 drops: the sum of tbf 10: and tbf 20:, and tbf 10:'s are
    // pfifo 11:'s. Loss evidence is the two qdiscs that dropped; the repeats are context.
    expect(f!.packets).toBe(26_252n);
    expect(f!.evidence.filter((e) => e.meaning?.startsWith('dropped by this qdisc'))).toEqual([
      expect.objectContaining({ name: 'qdisc tbf 20: dev dkqd0 parent 1:2 drops', delta: 15_805n }),
      expect.objectContaining({
        name: 'qdisc pfifo 11: dev dkqd0 parent 10:1 drops',
        delta: 10_447n,
      }),
    ]);
    const repeats = f!.evidence.filter(
      (e) => e.name.endsWith(' drops') && !e.meaning?.startsWith('dropped by this'),
    );
    expect(repeats.map((e) => [e.name, e.delta])).toEqual([
      ['qdisc mq 1: dev dkqd0 root drops', 26_252n],
      ['qdisc tbf 10: dev dkqd0 parent 1:1 drops', 10_447n],
    ]);
    expect(f!.explanation).toContain('they are counted once');
    // tbf 10: dropped nothing of its own (10,447 - 10,447).
    expect(members(f!)).not.toContain('qdisc tbf 10: dev dkqd0 parent 1:1 own drops');
    // Shapers' overlimits are context: packets held back, not lost.
    expect(members(f!)).toContain('qdisc tbf 20: dev dkqd0 parent 1:2 overlimits');
  });

  it('skips the qdisc replaced during the run (pfifo_fast 0: → pfifo 40: at parent 1:4)', () => {
    expect(findings[0]!.evidence.some((e) => /40:|parent 1:4/.test(e.name))).toBe(false);
    expect(checkedCounters({ before, after })).not.toContainEqual(
      expect.stringContaining('pfifo 40:'),
    );
  });

  it('gives the exact commands, with the shaper above the pfifo said plainly', () => {
    const m = findings[0]!.mitigation;
    expect(m.commands).toEqual([
      'tc qdisc change dev dkqd0 parent 1:2 tbf rate 1Mbit burst 1500b latency 48ms',
      'tc qdisc change dev dkqd0 parent 10:1 pfifo limit 1000',
    ]);
    expect(m.summary).toContain('latency from 12ms to 48ms');
    expect(m.summary).toContain(
      'pfifo 11: (parent 10:1) fills because tbf 10: (parent 1:1) above it holds traffic to rate 1Mbit',
    );
    // 1000 × 1514 bytes at 1 Mbit/s.
    expect(m.caveats).toContain(
      'At 1Mbit, the proposed queue holds up to 12.1 s of full-size packets: every packet behind them waits that long.',
    );
    expect(m.caveats).toContain(TC_CAVEAT);
    expect(m.checks).toEqual(['tc -s qdisc show dev dkqd0']);
    expect(
      findings[0]!.evidence.filter((e) => e.source === 'config').map((e) => [e.name, e.delta]),
    ).toEqual([
      ['qdisc tbf 20: dev dkqd0 parent 1:2 rate', '1Mbit'],
      ['qdisc tbf 20: dev dkqd0 parent 1:2 burst', '1500b'],
      ['qdisc tbf 20: dev dkqd0 parent 1:2 lat', '12ms'],
      ['qdisc pfifo 11: dev dkqd0 parent 10:1 limit', '5p'],
    ]);
  });

  it('with the trace: the QDISC_DROP entries join the device’s finding', () => {
    const trace: DropTrace = {
      host: 'vmA',
      kernelHasReasons: true,
      capped: false,
      entries: [{ reason: 'QDISC_DROP', location: 'kfree_skb_list_reason', count: 26_252 }],
    };
    const withTrace = diagnose({ before, after, trace });
    expect(withTrace).toHaveLength(1);
    expect(withTrace[0]).toMatchObject({ class: 'QDISC', iface: 'dkqd0', packets: 26_252n });
    expect(members(withTrace[0]!)).toContain('kfree_skb QDISC_DROP at kfree_skb_list_reason');
    expect(withTrace[0]!.explanation).toContain('The drop trace saw them too');
  });

  it('the trace alone still gives the host-wide QDISC finding', () => {
    const trace: DropTrace = {
      host: 'vmA',
      kernelHasReasons: true,
      capped: false,
      entries: [{ reason: 'QDISC_DROP', location: 'kfree_skb_list_reason', count: 40 }],
    };
    const quiet = host('vmA', T5, tc(RUN_BEFORE));
    const [f, ...rest] = diagnose({ before: host('vmA', T0, tc(RUN_BEFORE)), after: quiet, trace });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      class: 'QDISC',
      packets: 40n,
      title: '40 packets dropped by the qdisc',
    });
    expect(f!.iface).toBeUndefined();
    expect(f!.mitigation.checks).toEqual(['tc -s qdisc show']);
  });
});

describe('QDISC: counters that are not loss', () => {
  const before = host('vmA', T0, tc(THROTTLE_BEFORE));
  const after = host('vmA', T5, tc(THROTTLE_AFTER));

  it('a tbf that only throttled (overlimits 0 → 723, drops 0) is no finding', () => {
    const tbf = (s: Snapshot) => s.qdiscs?.find((q) => q.kind === 'tbf')?.counters;
    expect([tbf(before)?.['overlimits'], tbf(after)?.['overlimits']]).toEqual([0n, 723n]);
    expect(diagnose({ before, after })).toEqual([]);
    expect(summarizeNoFindings({ before, after })).toContain('qdisc tbf dev dkqd2 overlimits');
  });

  it('requeues alone are no finding either', () => {
    expect(diagnose({ before, after: raised(before, '1:', 'root', { requeues: 5_000n }) })).toEqual(
      [],
    );
    const both = raised(before, '1:', 'root', { requeues: 5_000n, overlimits: 90_000n });
    expect(diagnose({ before, after: both })).toEqual([]);
  });

  it('clsact drops are tc filter verdicts (TC_ACT_SHOT): checked, never a finding', () => {
    const netns = host('h', T0, tc(NETNS));
    const shot = raised(netns, 'ffff:', 'ffff:fff1', { drops: 500n });
    expect(diagnose({ before: netns, after: shot })).toEqual([]);
    expect(checkedCounters({ before: netns, after: shot })).toContain(
      'qdisc clsact dev dktc0 drops',
    );
  });

  it('pfifo_fast dropping: its limit is txqueuelen, set with ip link and kept by udev', () => {
    const { before: b } = run();
    const after = raised(b, '0:', '1:3', { drops: 640n, bytes: 1_000n });
    const [f, ...rest] = diagnose({ before: b, after });
    expect(rest).toEqual([]);
    expect(shape(f!)).toMatchObject({
      iface: 'dkqd0',
      packets: 640n,
      title: '640 packets dropped by qdisc pfifo_fast 0: (txqueuelen reached)',
      commands: ['ip link set dev dkqd0 txqueuelen 10000'],
    });
    expect(f!.mitigation.persistent).toEqual([
      'ACTION=="add", SUBSYSTEM=="net", KERNEL=="dkqd0", ATTR{tx_queue_len}="10000"',
    ]);
    expect(f!.mitigation.persistentPath).toBe('/etc/udev/rules.d/90-dropkit.rules');
    expect(f!.mitigation.checks).toContain('ip link show dev dkqd0');
  });

  // The device's txqueuelen, as the snapshot has it from ip link (qlen).
  const withQlen = (s: Snapshot, txqueuelen: number): Snapshot => ({
    ...s,
    interfaces: [{ name: 'dkqd0', kind: 'veth', slaves: [], kernel: {}, txqueuelen }],
  });

  it('pfifo_fast dropping with txqueuelen known: the cause and the fix quote it', () => {
    const { before: b } = run();
    const after = withQlen(raised(b, '0:', '1:3', { drops: 640n }), 1000);
    const [f] = diagnose({ before: b, after });
    expect(f!.explanation).toContain(
      'pfifo_fast 0: (parent 1:3) holds at most 1,000 packets (txqueuelen 1000) and was full',
    );
    expect(f!.mitigation.summary).toContain('Raise the txqueuelen of dkqd0 from 1000 to 10000');
    expect(f!.mitigation.commands).toEqual(['ip link set dev dkqd0 txqueuelen 10000']);
    expect((f!.mitigation.caveats ?? []).join(' ')).not.toMatch(/not collected/);
  });

  it('pfifo_fast dropping at txqueuelen 10000 already: pace the sender, nothing to raise', () => {
    const { before: b } = run();
    const after = withQlen(raised(b, '0:', '1:3', { drops: 640n }), 10_000);
    const [f] = diagnose({ before: b, after });
    expect(f!.mitigation.summary).toContain('already allows txqueuelen 10000');
    expect(f!.mitigation.summary).toContain('pace the sender');
    expect(f!.mitigation.commands).toEqual([]);
    expect(f!.mitigation.persistent).toEqual([]);
  });

  it('the same tbf dropping is a finding: drops are the only loss', () => {
    const dropped = raised(before, '1:', 'root', { drops: 12n, overlimits: 90n });
    expect(diagnose({ before, after: dropped }).map((f) => [f.class, f.iface, f.packets])).toEqual([
      ['QDISC', 'dkqd2', 12n],
    ]);
  });
});

describe('QDISC since creation (one capture)', () => {
  it('netns capture: mq + tbf and htb + bfifo, each loss once, on its device', () => {
    const findings = diagnose({ after: host('h', T5, tc(NETNS)) });
    expect(findings.map((f) => [f.class, f.severity, f.iface, f.packets, f.sinceBoot])).toEqual([
      // mq 1: prints 231,858 too, htb 1: 51,471: the sums of their children's.
      ['QDISC', 'warning', 'dktc0', 231_858n, true],
      ['QDISC', 'warning', 'dktcp0', 51_471n, true],
    ]);
    const [tbf, bfifo] = findings;
    expect(members(tbf!)).toEqual(['qdisc tbf 8002: dev dktc0 parent 1:4 drops']);
    expect(tbf!.mitigation.commands).toEqual([
      'tc qdisc change dev dktc0 parent 1:4 tbf rate 20Mbit burst 16Kb latency 8ms',
    ]);
    expect(members(bfifo!)).toEqual(['qdisc bfifo 10: dev dktcp0 parent 1:10 drops']);
    expect(bfifo!.title).toBe('51,471 packets dropped by qdisc bfifo 10: (limit 30000b reached)');
    expect(bfifo!.explanation).toContain('since they were created');
    expect(bfifo!.mitigation.commands).toEqual([
      'tc qdisc change dev dktcp0 parent 1:10 bfifo limit 1514000',
    ]);
  });

  it('fq_codel under htb, drop_overlimit 0: all codel AQM drops, by design, no command', () => {
    const [f, ...rest] = diagnose({ after: host('router', T5, tc(SQM_AQM)) });
    expect(rest).toEqual([]);
    expect(shape(f!)).toMatchObject({
      class: 'QDISC',
      iface: 'eth0',
      packets: 1_414n,
      title: '1,414 packets dropped by qdisc fq_codel 110: (codel AQM drops, by design)',
      commands: [],
    });
    expect(f!.explanation).toContain(
      '1,414 by codel itself (AQM): packets that had waited longer than target 17.7ms for at least interval 112.7ms. The AQM drops are by design',
    );
    expect(f!.explanation).toContain('`ecn` (off here)');
    expect(f!.mitigation.summary).toContain('no limit change avoids them');
  });

  it('fq_codel children of the default mq, drop_overmemory: memory_limit, reached through a handled mq', () => {
    const [f, ...rest] = diagnose({ after: host('router', T5, tc(FQ_CODEL_MEMORY)) });
    expect(rest).toEqual([]);
    expect(shape(f!)).toMatchObject({
      iface: 'eth0',
      packets: 1_984n,
      title: '1,984 packets dropped by qdisc fq_codel 0: (memory_limit 4Mb reached)',
      // tc cannot name `parent :9` (the default mq's handle is 0).
      commands: [
        'tc qdisc replace dev eth0 root handle 1: mq',
        'tc qdisc replace dev eth0 parent 1:9 fq_codel memory_limit 32Mb',
      ],
    });
    expect(f!.explanation).toContain(
      '1,984 because its memory_limit 4Mb was reached (drop_overmemory)',
    );
    expect(f!.mitigation.caveats).toEqual([MQ_CAVEAT, TC_CAVEAT]);
    expect(f!.evidence.filter((e) => e.source === 'config').map((e) => [e.name, e.delta])).toEqual([
      ['qdisc fq_codel 0: dev eth0 parent :9 memory_limit', '4Mb'],
    ]);
    // The four default children fold into one line of the checked list.
    expect(checkedCounters({ after: host('router', T5, tc(FQ_CODEL_MEMORY)) })).toContain(
      'qdisc fq_codel dev eth0 drops (4 qdiscs)',
    );
  });

  it('fq under mq, flows_plimit, tc run for one device: flow_limit named, no command', () => {
    const [f, ...rest] = diagnose({ after: host('node', T5, tc(FQ_FLOWS)) });
    expect(rest).toEqual([]);
    // mq 8002: prints 13,619: the sum over all 8 queues, of which the excerpt shows two.
    expect(f).toMatchObject({
      class: 'QDISC',
      packets: 4_249n,
      title: '4,249 packets dropped by 2 qdiscs (flow_limit 100p reached)',
    });
    expect(f!.iface).toBeUndefined();
    expect(f!.explanation).toContain(
      '2,506 because one flow held flow_limit 100p packets (flows_plimit)',
    );
    expect(f!.mitigation.commands).toEqual([]);
    expect(f!.mitigation.summary).toMatch(/^tc named no device, so no command can be given\. /);
    expect(f!.mitigation.summary).toContain('flow_limit from 100p to 400');
  });
});

describe('QDISC: qdiscs the kernel made by default (handle 0:) are replaced, not changed', () => {
  it('fq children of a handled mq: tc qdisc replace at their parent', () => {
    // The same capture as `tc -s qdisc show` without `dev` would print it.
    const named = tc(FQ_FLOWS)
      .replace('qdisc mq 8002: root', 'qdisc mq 8002: dev ens4 root')
      .replaceAll(' parent 8002:', ' dev ens4 parent 8002:');
    const [f] = diagnose({ after: host('node', T5, named) });
    expect(f).toMatchObject({ iface: 'ens4', packets: 4_249n });
    expect(f!.mitigation.commands).toEqual([
      'tc qdisc replace dev ens4 parent 8002:7 fq flow_limit 400',
      'tc qdisc replace dev ens4 parent 8002:8 fq flow_limit 400',
    ]);
  });
});

describe('QDISC: fq_codel during a run', () => {
  const before = host('router', T0, tc(FQ_CODEL_MEMORY));

  it('drop_overlimit says how many were the limit; the rest are codel’s', () => {
    const after = raised(before, '0:', ':9', { drops: 300n, drop_overlimit: 100n });
    const [f, ...rest] = diagnose({ before, after });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ iface: 'eth0', packets: 300n, sinceBoot: false });
    expect(f!.title).toBe('300 packets dropped by qdisc fq_codel 0: (limit 10240p reached)');
    expect(f!.explanation).toContain(
      'dropped 300 packets: 100 because its limit 10240p was reached (drop_overlimit); 200 by codel itself (AQM)',
    );
    expect(f!.mitigation.commands).toEqual([
      'tc qdisc replace dev eth0 root handle 1: mq',
      'tc qdisc replace dev eth0 parent 1:9 fq_codel limit 40960',
    ]);
  });

  it('AQM drops only during the run: by design, no command', () => {
    const after = raised(before, '0:', ':9', { drops: 50n });
    const [f] = diagnose({ before, after });
    expect(f!.title).toBe('50 packets dropped by qdisc fq_codel 0: (codel AQM drops, by design)');
    expect(f!.mitigation.commands).toEqual([]);
  });
});

describe('QDISC: device names from the host are not trusted in commands', () => {
  const forged = (dev: string) => tc(NETNS).replaceAll('dktcp0', dev);

  it('a name the kernel allows is shell-quoted', () => {
    const f = diagnose({ after: host('h', T5, forged('x$(id)')) }).find(
      (x) => x.iface === 'x$(id)',
    );
    expect(f!.mitigation.commands).toEqual([
      "tc qdisc change dev 'x$(id)' parent 1:10 bfifo limit 1514000",
    ]);
  });

  it('a name the kernel refuses gives no command', () => {
    const f = diagnose({ after: host('h', T5, forged('a/b')) }).find((x) => x.iface === 'a/b');
    expect(f!.mitigation.commands).toEqual([]);
    expect(f!.mitigation.checks).toEqual(['tc -s qdisc show']);
  });
});

describe('QDISC in collect analyze: a sos report keeps tc -s qdisc show', () => {
  const root = mkdtempSync(join(tmpdir(), 'dropkit-sos-qdisc-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('sos_commands/networking/tc_-s_qdisc_show gives the same findings', async () => {
    const put = (rel: string, text: string) => {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    };
    put('sos_commands/networking/tc_-s_qdisc_show', tc(NETNS));
    put('proc/net/dev', fixture('proc_net_dev/debian11-laptop-lo-enp0s31f6-wlp3s0.txt'));
    put('hostname', 'node-1\n');
    const { after } = await loadCapture(root);
    const findings = diagnose({ after: after[0]! });
    expect(findings.map((f) => [f.class, f.host, f.iface, f.packets])).toEqual([
      ['QDISC', 'node-1', 'dktc0', 231_858n],
      ['QDISC', 'node-1', 'dktcp0', 51_471n],
    ]);
  });
});

describe('QDISC: a long or forged qdisc list costs linear time', () => {
  // The fq_codel block of a real capture, repeated under thousands of queues and devices.
  const block = tc(FQ_CODEL_MEMORY).split('\n').slice(15, 20).join('\n');
  const under = (dev: string, parent: string) =>
    block.replace('dev eth0 parent :9', `dev ${dev} parent ${parent}`);

  it('20,000 children of one mq, and 5,000 devices, each dropping', () => {
    const queues = Array.from({ length: 20_000 }, (_, i) =>
      under('eth0', `:${(i + 1).toString(16)}`),
    );
    const devices = Array.from({ length: 5_000 }, (_, i) => under(`d${i}`, ':1'));
    // The parent after its children: a search from the top would meet every sibling first.
    const text = [...queues, 'qdisc mq 0: dev eth0 root ', ...devices].join('\n');
    const started = performance.now();
    const findings = diagnose({ after: host('h', T5, text) });
    // About 1.5 s here; quadratic work (each child searching its siblings, each device
    // indexing the whole list again) would take minutes.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(findings).toHaveLength(5_001);
    const eth0 = findings.find((f) => f.iface === 'eth0')!;
    expect(eth0.packets).toBe(20_000n * 1_984n);
    // The mq replace, then the 256 biggest; the rest are named in a caveat.
    expect(eth0.mitigation.commands).toHaveLength(257);
    expect(eth0.mitigation.caveats).toContain(
      '19744 more qdiscs dropped fewer packets and need the same change; `tc -s qdisc show` lists them.',
    );
  });
});
