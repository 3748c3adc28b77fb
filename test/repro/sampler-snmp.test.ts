import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { newBoundary } from '../../collectors/snapshot/script.js';
import { toSeries } from '../../repro/run/series.js';
import { feedSampler, newSamplerStream, type Sample } from '../../repro/sampler/parse.js';
import { samplerScript } from '../../repro/sampler/script.js';
import { readSnmpLine, SNMP_COUNTERS, type SnmpColumns } from '../../repro/sampler/snmp.js';
import { FIXTURES_DIR, fixture } from '../collectors/fixture-files.js';

// The sampler's protocol counters: /proc/net/snmp's Udp and Tcp lines and
// /proc/net/netstat's TcpExt, read by the script's own shell code from the
// real captures, parsed into `snmp.<group>.<counter>` series.

const SNMP = `${FIXTURES_DIR}proc_net_snmp/debian12-6.18-snmp.txt`;
const NETSTAT = `${FIXTURES_DIR}proc_net_snmp/debian12-6.18-netstat.txt`;

const EXPECTED = {
  Udp: {
    InErrors: 25883n,
    RcvbufErrors: 25883n,
    SndbufErrors: 0n,
    NoPorts: 0n,
    InCsumErrors: 0n,
    MemErrors: 0n,
  },
  Tcp: { RetransSegs: 27n, InErrs: 0n },
  TcpExt: { ListenOverflows: 0n, ListenDrops: 0n, TCPBacklogDrop: 0n, TCPRcvQDrop: 0n },
};

// The script as the host runs it, reading the captures instead of procfs.
async function run(shell: string[], posixOnly: boolean, maxSeconds: number): Promise<Sample[]> {
  const B = newBoundary();
  const script = samplerScript({
    intervalMs: 100,
    ethtoolEvery: 3,
    maxSeconds,
    posixOnly,
    boundary: B,
  })
    .replaceAll('/proc/net/snmp', SNMP)
    .replaceAll('/proc/net/netstat', NETSTAT);
  const r = await execa(shell[0]!, [...shell.slice(1), '-c', script], { stripFinalNewline: false });
  const st = newSamplerStream(B);
  const samples = feedSampler(st, r.stdout);
  expect(st.warnings).toEqual([]);
  return samples;
}

describe('the protocol counter lines', () => {
  it('pair each values line with the names line the first sample sent', () => {
    const columns: SnmpColumns = {};
    const lines = fixture('proc_net_snmp/debian12-6.18-snmp.txt').split('\n');
    const udpValues = lines.find((l) => /^Udp: \d/.test(l))!;
    // No names yet: nothing to read the values by.
    expect(readSnmpLine(columns, udpValues)).toBeUndefined();
    expect(readSnmpLine(columns, lines.find((l) => l.startsWith('Udp: In'))!)).toBeUndefined();
    expect(readSnmpLine(columns, udpValues)).toEqual({ group: 'Udp', values: EXPECTED.Udp });
    // Other groups (UdpLite, Ip) are not followed.
    expect(readSnmpLine(columns, 'UdpLite: InDatagrams NoPorts')).toBeUndefined();
    expect(Object.keys(columns)).toEqual(['Udp']);
  });

  it('skip a value that is not a counter, and a counter this kernel does not print', () => {
    const columns: SnmpColumns = {};
    readSnmpLine(columns, 'Udp: InDatagrams RcvbufErrors InErrors');
    expect(readSnmpLine(columns, 'Udp: 5 -1 x')).toEqual({ group: 'Udp', values: {} });
    expect(readSnmpLine(columns, 'Udp: 5 7 9')).toEqual({
      group: 'Udp',
      values: { InErrors: 9n, RcvbufErrors: 7n },
    });
    expect(Object.keys(SNMP_COUNTERS)).toEqual(['Udp', 'Tcp', 'TcpExt']);
  });
});

for (const [label, shell, posixOnly] of [
  ['bash', ['sh'], false],
  ['dash', ['dash'], true],
  ['busybox sh', ['busybox', 'sh'], true],
] as const) {
  describe(`the sampler under ${label}`, () => {
    it('reads the captures into the followed counters, names once', async () => {
      const [first] = await run([...shell], posixOnly, 0);
      expect(first!.snmp).toEqual(EXPECTED);
    });

    it('reads them at its rate: Udp and Tcp every sample under bash, all once a second otherwise', async () => {
      const samples = await run([...shell], posixOnly, 1);
      expect(samples.length).toBeGreaterThanOrEqual(9);
      const groups = samples.map((s) => Object.keys(s.snmp ?? {}).join(','));
      // ethtoolEvery 3: samples 0, 3, 6, 9 read TcpExt (and, under POSIX sh, all).
      groups.forEach((g, i) => {
        if (i % 3 === 0) expect(g, `sample ${i}`).toBe('Tcp,Udp,TcpExt');
        else expect(g, `sample ${i}`).toBe(posixOnly ? '' : 'Tcp,Udp');
      });
      for (const s of samples)
        for (const [g, v] of Object.entries(s.snmp ?? {}))
          expect(v).toEqual(EXPECTED[g as keyof typeof EXPECTED]);
    });
  });
}

describe('the series', () => {
  it('keeps every followed protocol counter, moved or not, keyed as the diagnosis names it', () => {
    const sample = (seq: number, rcvbuf: bigint): Sample => ({
      seq,
      hostNs: BigInt(1000 + seq * 100) * 1_000_000n,
      softnet: [],
      ifaces: {},
      snmp: { Udp: { RcvbufErrors: rcvbuf, NoPorts: 0n } },
    });
    const s = toSeries({
      host: 'vmB',
      role: 'receiver',
      offsetMs: 0,
      errorMs: 0,
      samples: [sample(0, 5n), sample(1, 9n)],
    });
    expect(s.map((x) => [x.key, x.role, x.points.map((p) => p[1])])).toEqual([
      ['snmp.Udp.RcvbufErrors', 'receiver', [5n, 9n]],
      ['snmp.Udp.NoPorts', 'receiver', [0n, 0n]],
    ]);
  });
});
