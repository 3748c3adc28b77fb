import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../collectors/diagnosis/engine.js';
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
