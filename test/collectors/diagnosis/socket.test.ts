import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testSockets } from '../../../bundles/repro-diagnosis.js';
import { diagnose } from '../../../collectors/diagnosis/engine.js';
import { parseIperf3Result } from '../../../repro/iperf3-result.js';
import { T0 } from './azure-vm.js';
import {
  CILIUM_IP_LINK,
  PROC_NET_NETSTAT_DEBIAN,
  PROC_NET_SNMP_DEBIAN,
  PROC_NET_SNMP_UDP,
  SOFTNET_2CPU,
  SYSCTL_LAB,
} from './captures.js';
import { shape } from './findings-shape.js';
import { later, snapshotFrom } from './snapshot-builder.js';

// The receiver application does not read fast enough: Udp RcvbufErrors grows and kfree_skb
// reports SOCKET_RCVBUFF. The backlog is fine, so this must not read as BACKLOG.
describe('SOCKET', () => {
  const before = snapshotFrom({
    host: 'vmB',
    takenAt: T0,
    ifaces: [{ name: 'ens18', kind: 'physical', ipLink: { text: CILIUM_IP_LINK, name: 'ens18' } }],
    softnet: SOFTNET_2CPU,
    sysctl: SYSCTL_LAB,
    snmp: PROC_NET_SNMP_UDP,
  });
  const after = later(before, {
    seconds: 10,
    snmp: { Udp: { RcvbufErrors: 25_000n, InErrors: 25_000n, InDatagrams: 400_000n } },
  });

  it('Udp RcvbufErrors + SOCKET_RCVBUFF trace is SOCKET, not BACKLOG', () => {
    const findings = diagnose({
      before,
      after,
      trace: {
        host: 'vmB',
        kernelHasReasons: true,
        capped: true,
        entries: [
          { reason: 'SOCKET_RCVBUFF', location: '__udp_enqueue_schedule_skb', count: 24_000 },
        ],
      },
    });
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({
      class: 'SOCKET',
      severity: 'critical',
      confidence: 'high',
      packets: 25_000n,
    });
    expect(f!.evidence.map((e) => e.name)).toEqual([
      'Udp RcvbufErrors',
      'kfree_skb SOCKET_RCVBUFF at __udp_enqueue_schedule_skb',
      'net.core.rmem_max',
    ]);
    expect(f!.evidence[1]!.meaning).toContain('lower bound');
    expect(f!.mitigation.commands).toEqual(['sysctl -w net.core.rmem_max=16777216']);
    expect(f!.mitigation.caveats?.join(' ')).toContain('SO_RCVBUF');
    expect(f!.explanation).toContain('Udp RcvbufErrors +25,000');
  });

  it('Udp InErrors alone is an aggregate and says nothing', () => {
    const onlyInErrors = later(before, { seconds: 10, snmp: { Udp: { InErrors: 9_000n } } });
    expect(diagnose({ before, after: onlyInErrors })).toEqual([]);
  });
});

// TcpExt ListenOverflows / ListenDrops (/proc/net/netstat): a listening socket's accept queue
// was full. They had no rule, so no finding; the fix is somaxconn and the application's
// listen() backlog, not the UDP receive buffer.
describe('SOCKET: listen queue overflow (real Debian 12 snmp + netstat captures)', () => {
  const host = () =>
    snapshotFrom({
      host: 'vmB',
      takenAt: T0,
      ifaces: [
        { name: 'ens18', kind: 'physical', ipLink: { text: CILIUM_IP_LINK, name: 'ens18' } },
      ],
      softnet: SOFTNET_2CPU,
      // The kernel default since 5.4; somaxconn is not among the collected sysctls yet.
      sysctl: `${SYSCTL_LAB}net.core.somaxconn = 4096\n`,
      snmp: PROC_NET_SNMP_DEBIAN + PROC_NET_NETSTAT_DEBIAN,
    });

  it('with somaxconn not collected: unknown, read first, no command', () => {
    const before = snapshotFrom({
      host: 'vmB',
      takenAt: T0,
      ifaces: [
        { name: 'ens18', kind: 'physical', ipLink: { text: CILIUM_IP_LINK, name: 'ens18' } },
      ],
      softnet: SOFTNET_2CPU,
      sysctl: SYSCTL_LAB,
      snmp: PROC_NET_SNMP_DEBIAN + PROC_NET_NETSTAT_DEBIAN,
    });
    const after = later(before, {
      seconds: 10,
      snmp: { TcpExt: { ListenOverflows: 3_000n, ListenDrops: 3_000n } },
    });
    const [f] = diagnose({ before, after });
    expect(f).toMatchObject({ class: 'SOCKET', unknown: ['net.core.somaxconn'] });
    expect(f!.mitigation.commands).toEqual([]);
    expect(f!.mitigation.checks?.[0]).toBe('sysctl net.core.somaxconn');
    expect(f!.mitigation.summary).toMatch(/^Read net\.core\.somaxconn first/);
  });

  it('ListenOverflows + ListenDrops is one SOCKET finding with the accept-queue fix', () => {
    const before = host();
    const after = later(before, {
      seconds: 10,
      snmp: { TcpExt: { ListenOverflows: 3_000n, ListenDrops: 3_000n } },
    });
    const findings = diagnose({ before, after });
    expect(findings.map(shape)).toEqual([
      {
        class: 'SOCKET',
        severity: 'critical',
        confidence: 'high',
        iface: undefined,
        packets: 3_000n,
        title: '3,000 packets dropped: TCP listen (accept) queue full (somaxconn=4096)',
        evidence: [
          ['TcpExt ListenOverflows', 3_000n],
          ['TcpExt ListenDrops', 3_000n],
          ['net.core.somaxconn', '4096'],
        ],
        commands: ['sysctl -w net.core.somaxconn=16384'],
      },
    ]);
    const [f] = findings;
    expect(f!.mitigation.persistent).toEqual(['net.core.somaxconn = 16384']);
    expect(f!.mitigation.caveats?.join(' ')).toContain('listen()');
    expect(f!.mitigation.checks?.[0]).toMatch(/^ss -ltn/);
    expect(f!.explanation).toContain('This is not the socket receive buffer');
    expect(JSON.stringify(f!.mitigation)).not.toContain('rmem_max');
  });

  it('next to Udp RcvbufErrors it stays a finding of its own, each with its own fix', () => {
    const before = host();
    const after = later(before, {
      seconds: 10,
      snmp: { TcpExt: { ListenOverflows: 50n, ListenDrops: 50n }, Udp: { RcvbufErrors: 25_000n } },
    });
    const findings = diagnose({ before, after });
    expect(findings.map((f) => [f.class, f.packets, f.mitigation.commands])).toEqual([
      ['SOCKET', 25_000n, ['sysctl -w net.core.rmem_max=16777216']],
      ['SOCKET', 50n, ['sysctl -w net.core.somaxconn=16384']],
    ]);
  });
});

// The test's own receiving socket is known from iperf3's JSON (real captures in
// test/fixtures/iperf3): the advice follows from what it asked for and what it got.
describe('SOCKET advice from the test socket', () => {
  const receiverSockets = (file: string) => {
    const text = readFileSync(join(import.meta.dirname, '../../fixtures/iperf3', file), 'utf8');
    return testSockets([{ phase: 'burst', result: parseIperf3Result(text).value }]).receiver;
  };
  const before = snapshotFrom({
    host: 'vmB',
    takenAt: T0,
    ifaces: [{ name: 'ens18', kind: 'physical', ipLink: { text: CILIUM_IP_LINK, name: 'ens18' } }],
    softnet: SOFTNET_2CPU,
    sysctl: SYSCTL_LAB.replace('net.core.rmem_max = 212992', 'net.core.rmem_max = 4194304'),
    snmp: PROC_NET_SNMP_UDP,
  });
  const after = later(before, {
    seconds: 10,
    snmp: { Udp: { RcvbufErrors: 25_000n, InErrors: 25_000n, InDatagrams: 400_000n } },
  });
  const socketFinding = (name: string) => {
    const sockets = receiverSockets(name);
    expect(sockets).toHaveLength(1);
    const f = diagnose({ before, after, sockets }).find((x) => x.class === 'SOCKET')!;
    return { f, s: sockets[0]! };
  };

  it('a socket that asked for nothing: rmem_max alone changes nothing, it must ask', () => {
    const { f, s } = socketFinding('udp-burst-P2-client.json');
    expect(s).toEqual({
      owner: 'the iperf3 server of phase burst',
      rcvbufBytes: 212_992,
      askedBytes: 0,
    });
    expect(f.mitigation.summary).toMatch(
      /^the iperf3 server of phase burst ran with a receive buffer of 212,992 bytes \(rcvbuf_actual\): it asked for none/,
    );
    // 4 MiB allowed already covers 4 × 212,992 rounded up (1 MiB)... but not the 16 MiB floor.
    expect(f.mitigation.commands).toEqual(['sysctl -w net.core.rmem_max=16777216']);
    expect(f.mitigation.caveats?.join(' ')).toMatch(
      /changes nothing for a socket that does not ask: run the receiver with -w 16M/,
    );
  });

  it('a socket capped by rmem_max: raise rmem_max to what it asked', () => {
    const { f, s } = socketFinding('udp-window-8M-client.json');
    expect(s).toMatchObject({ rcvbufBytes: 8_388_608, askedBytes: 8_388_608 });
    expect(f.mitigation.summary).toContain(
      'it asked for 8,388,608 bytes (-w / SO_RCVBUF) and net.core.rmem_max (4194304) capped it',
    );
    expect(f.mitigation.commands).toEqual(['sysctl -w net.core.rmem_max=16777216']);
  });

  it('a socket that got what it asked for: ask for more, rmem_max alone changes nothing', () => {
    const { f, s } = socketFinding('udp-window-2M-client.json');
    expect(s).toMatchObject({ rcvbufBytes: 4_194_304, askedBytes: 2_097_152 });
    expect(f.mitigation.summary).toContain(
      'it got the 2,097,152 bytes it asked for (-w / SO_RCVBUF) and still overflowed, so raising net.core.rmem_max alone changes nothing for it. Ask for more (iperf3 -w 8M)',
    );
    expect(f.mitigation.commands).toEqual(['sysctl -w net.core.rmem_max=8388608']);
  });
});

// A fix never assumes a value it could not read: it names it, and reads it first.
describe('SOCKET with rmem_max not collected', () => {
  it('says it is unknown, gives no command, and reads it first', () => {
    const before = snapshotFrom({
      host: 'vmB',
      takenAt: T0,
      ifaces: [
        { name: 'ens18', kind: 'physical', ipLink: { text: CILIUM_IP_LINK, name: 'ens18' } },
      ],
      softnet: SOFTNET_2CPU,
      sysctl: SYSCTL_LAB.split('\n')
        .filter((l) => !l.startsWith('net.core.rmem_max'))
        .join('\n'),
      snmp: PROC_NET_SNMP_UDP,
    });
    const after = later(before, {
      seconds: 10,
      snmp: { Udp: { RcvbufErrors: 25_000n, InErrors: 25_000n, InDatagrams: 400_000n } },
    });
    const [f] = diagnose({ before, after });
    expect(f).toMatchObject({ class: 'SOCKET', unknown: ['net.core.rmem_max'] });
    expect(f!.mitigation.commands).toEqual([]);
    expect(f!.mitigation.checks).toEqual(['sysctl net.core.rmem_max net.core.rmem_default']);
    expect(f!.mitigation.summary).toMatch(
      /^Read net\.core\.rmem_max first \(it was not collected\)/,
    );
  });
});
