import { beforeAll, describe, expect, it } from 'vitest';
import { type ReproParts, reproBundleParts } from '../../bundles/repro-bundle.js';
import { cpuTime, reproDatapath } from '../../bundles/repro-datapath.js';
import { reproDiagnosis } from '../../bundles/repro-diagnosis.js';
import { reproPhases } from '../../bundles/repro-summary.js';
import type { RunRecord } from '../../repro/run/record.js';
import { ARRIVED, LOST, MANA, MLX5, SYNTHETIC_ONLY, VF } from '../fakes/azure-pair.js';
import { azureRun } from '../fakes/azure-run.js';

// Acceptance (issue 19, "The Azure datapath"): a reproduction whose receiver is an Azure VM
// with accelerated networking, eth0 (hv_netvsc) and its mlx5_core VF enP30832s1, whose RX ring
// overflows during the burst (test/fakes/azure-pair.ts says which parts are real captures and
// which are composed). The VF is sampled, its drops are attributed to the NIC/ring naming the
// VF, and the VF's share of the traffic is computed.

// Both VF drivers Azure puts behind hv_netvsc: the same story, each with its own drop counter.
for (const d of [MLX5, MANA]) {
  describe(`an Azure VF pair: hv_netvsc and ${d.driver}`, () => {
    let parts: ReproParts;
    beforeAll(async () => {
      ({ parts } = await azureRun(d));
    });

    it('samples the VF, attributes its drops to the NIC/ring naming the VF, and computes its share', () => {
      const series = parts.files.find((f) => f.path === 'repro/series.csv')!.bytes.toString();
      expect(series).toContain(`,receiver,ethtool.${VF}.${d.drop},42\n`);
      const ring = parts.findings.filter((f) => f.class === 'RING');
      expect(ring.map((f) => [f.host, f.iface, f.packets])).toEqual([['vmB', VF, LOST]]);
      expect(ring[0]!.evidence[0]).toMatchObject({ name: `ethtool ${VF} ${d.drop}`, delta: LOST });
      expect(ring[0]!.evidence[0]!.window).toBeDefined();
      expect(ring[0]!.explanation).toContain(`${VF} is the accelerated-networking VF of eth0`);
      const a = parts.summary.repro.accounting;
      expect(a.parts).toEqual([
        expect.objectContaining({
          class: 'RING',
          where: `VF ${VF} of eth0`,
          vf: { iface: VF, synthetic: 'eth0', driver: d.driver },
          packets: LOST,
        }),
      ]);
      expect(a).toMatchObject({ verdict: 'guest', unexplained: 0 });
      const [, receiver] = parts.summary.repro.datapath;
      expect(receiver!.vf?.driver).toBe(d.driver);
      expect(receiver!.vfRxShare?.share).toBeCloseTo(0.99993, 5);
      expect(receiver!.vfSamples).toBe(3);
    });
  });
}

let rec: RunRecord;
let parts: ReproParts;
const file = (path: string) => parts.files.find((f) => f.path === path)?.bytes.toString('utf8');

beforeAll(async () => {
  ({ rec, parts } = await azureRun(MLX5));
});

describe('an Azure VF pair, in detail (mlx5_core)', () => {
  it('is found from the snapshots: eth0 is the data interface, enP30832s1 its VF', () => {
    const vmB = rec.hosts[1];
    expect(vmB.dataIface).toBe('eth0');
    const after = vmB.after!.snapshot;
    expect(after.interfaces.find((i) => i.name === VF)?.acceleratedNetworking).toEqual({
      role: 'vf',
      peer: 'eth0',
    });
    expect(after.pciNics?.map((n) => [n.slot, n.ids, n.driver])).toEqual([
      [MLX5.slot, '15b3:1016', 'mlx5_core'],
    ]);
    expect(after.kernelLog?.lines.map((l) => l.kind)).toEqual([
      'vf-added',
      'vf-registering',
      'driver',
      'datapath-to-vf',
    ]);
  });

  it("samples the VF: its ethtool -S counters are series of their own, at the sampler's slow rate", () => {
    const vfSamples = rec.hosts[1].sampler!.samples.filter((s) =>
      s.ethtool?.some((e) => e.iface === VF),
    );
    expect(vfSamples.map((s) => s.seq)).toEqual([0, 2, 3]);
    const rows = file('repro/series.csv')!
      .trim()
      .split('\n')
      .filter((r) => r.includes(`,ethtool.${VF}.rx_out_of_buffer,`))
      .map((r) => r.split(',').slice(3));
    expect(rows).toEqual([
      ['receiver', `ethtool.${VF}.rx_out_of_buffer`, '0'],
      ['receiver', `ethtool.${VF}.rx_out_of_buffer`, '10'],
      ['receiver', `ethtool.${VF}.rx_out_of_buffer`, '42'],
    ]);
    // /proc/stat's CPU time goes to the series too, and is summed up per CPU.
    expect(file('repro/series.csv')).toContain(',receiver,cpu.cpu1.steal,0');
    expect(parts.summary.repro.cpuTime).toEqual([
      expect.objectContaining({
        role: 'receiver',
        cpus: [
          { cpu: 0, softirqPercent: 0, stealPercent: 0 },
          { cpu: 1, softirqPercent: 0, stealPercent: 0 },
        ],
      }),
    ]);
  });

  it('attributes the drops to the NIC/ring class on the VF, with the window from the VF series', () => {
    const ring = parts.findings.filter((f) => f.class === 'RING');
    expect(ring).toHaveLength(1);
    const [f] = ring;
    expect(f).toMatchObject({ host: 'vmB', iface: VF, packets: LOST, sinceBoot: false });
    expect(f!.evidence.map((e) => [e.name, e.delta])).toEqual([
      [`ethtool ${VF} rx_out_of_buffer`, LOST],
      [`${VF} rx_missed_errors`, LOST],
      [`${VF} rx ring`, '1024 of 8192'],
    ]);
    // The sampled VF series dates the loss.
    expect(f!.evidence[0]!.window).toBeDefined();
    expect(f!.explanation).toContain(
      `The loss is on the VF side: ${VF} is the accelerated-networking VF of eth0`,
    );
    expect(f!.explanation).toContain(
      `${VF} carried 99.99% of the packets eth0 received during the run`,
    );
    expect(f!.mitigation.commands).toEqual([`ethtool -G ${VF} rx 8192`]);
  });

  it('names the VF in the loss accounting, which adds up to the loss', () => {
    const a = parts.summary.repro.accounting;
    expect(a.parts).toEqual([
      {
        class: 'RING',
        stage: 'NIC/ring',
        host: 'vmB',
        where: `VF ${VF} of eth0`,
        vf: { iface: VF, synthetic: 'eth0', driver: 'mlx5_core' },
        packets: LOST,
      },
    ]);
    expect(a.line).toBe(
      `Lost 42 = NIC/ring 42 (VF ${VF}) + backlog 0 + socket 0 + qdisc 0 + unexplained 0 (UDP datagrams iperf3 counted lost; drops the guest counted during the run)`,
    );
    expect(a.verdict).toBe('guest');
    expect(a.verdictLine).toContain(`42 at the NIC/ring on vmB (VF ${VF} of eth0)`);
  });

  it("states the pairing and the VF's share of the received packets", () => {
    const [sender, receiver] = parts.summary.repro.datapath;
    expect(sender).toMatchObject({ role: 'sender', dataInterface: 'eth0', vf: null, vfSamples: 0 });
    expect(receiver).toEqual({
      host: 'vmB',
      role: 'receiver',
      dataInterface: 'eth0',
      vf: {
        iface: VF,
        driver: 'mlx5_core',
        pci: 'Mellanox Technologies MT27710 Family [ConnectX-4 Lx Virtual Function] [15b3:1016]',
      },
      vfRxShare: {
        vfRxPackets: ARRIVED,
        rxPackets: ARRIVED + SYNTHETIC_ONLY,
        share: Number(ARRIVED) / Number(ARRIVED + SYNTHETIC_ONLY),
        reset: false,
      },
      vfSamples: 3,
      // The VF's arrival was at boot, an hour before: not around the run.
      events: [],
    });
    const md = file('summary.md')!;
    expect(md).toContain('## Datapath (Azure accelerated networking) and CPU time');
    expect(md).toContain(
      `- vmB (receiver): eth0 is paired with the VF ${VF} (mlx5_core; Mellanox Technologies MT27710 Family [ConnectX-4 Lx Virtual Function] [15b3:1016]). It carried 99.99% of the packets eth0 received during the run (vf_rx_packets 178,518 of rx_packets 178,530).`,
    );
  });

  it("puts the kernel log on the series' axis in repro/kernel-log.csv", () => {
    const rows = file('repro/kernel-log.csv')!.trim().split('\n');
    expect(rows[0]).toBe('t_ms,time,host,role,uptime_s,kind,iface,vf,in_run,line');
    expect(rows).toHaveLength(5);
    const last = rows.at(-1)!.split(',');
    expect(last.slice(2, 9)).toEqual([
      'vmB',
      'receiver',
      '5.890123',
      'datapath-to-vf',
      'eth0',
      VF,
      '0',
    ]);
    // Booted an hour before the after snapshot (uptime 3603 s).
    const t = Number(last[0]);
    expect(Date.parse(rec.hosts[1].after!.snapshot.takenAt) - t).toBeGreaterThan(3590_000);
  });
});

describe('the datapath during the run', () => {
  it('says when the VF went away during the run, with the kernel log lines around it', async () => {
    const copy = structuredClone(rec);
    const vmB = copy.hosts[1];
    const after = vmB.after!.snapshot;
    // Host servicing in the middle of the burst: the VF is gone from the after snapshot, and
    // the kernel log says so (hv_netvsc's format strings, as in kernel-log.test.ts).
    after.interfaces = after.interfaces.filter((i) => i.name !== VF);
    delete after.interfaces.find((i) => i.name === 'eth0')!.acceleratedNetworking;
    const mid = new Date(Date.parse(after.takenAt) - 500).toISOString();
    after.kernelLog!.lines.push(
      {
        uptimeSec: 3602.5,
        time: mid,
        kind: 'datapath-from-vf',
        iface: 'eth0',
        vf: VF,
        line: `[ 3602.500000] hv_netvsc 000d3a12-3456-000d-3a12-3456000d3a12 eth0: Data path switched from VF: ${VF}`,
      },
      {
        uptimeSec: 3602.6,
        time: mid,
        kind: 'vf-unregistering',
        iface: 'eth0',
        vf: VF,
        line: `[ 3602.600000] hv_netvsc 000d3a12-3456-000d-3a12-3456000d3a12 eth0: VF unregistering: ${VF}`,
      },
    );
    const series = reproBundleParts(copy, { createdAt: new Date(), command: [], redacted: false });
    const [, dp] = reproDatapath(copy, reproDiagnosis(copy, [], reproPhases(copy)).inputs);
    expect(dp).toMatchObject({ vf: null, vfBefore: VF });
    expect(dp!.events!.map((e) => [e.kind, e.vf])).toEqual([
      ['datapath-from-vf', VF],
      ['vf-unregistering', VF],
    ]);
    const md = series.files.find((f) => f.path === 'summary.md')!.bytes.toString();
    expect(md).toContain(
      `- vmB (receiver): eth0 has no accelerated-networking VF after the run (before it: ${VF}, since removed).`,
    );
    expect(md).toContain('datapath-from-vf: `[ 3602.500000] hv_netvsc');
    expect(cpuTime(copy, [])).toEqual([]);
  });
});
