import { describe, expect, it } from 'vitest';
import { parseProcNetSnmp } from '../../collectors/proc-net-snmp.js';
import { fixture } from './fixture-files.js';

describe('/proc/net/snmp and /proc/net/netstat', () => {
  it('debian12-6.18-snmp.txt: Udp counters by name, Tcp MaxConn (-1) skipped', () => {
    const { value, warnings } = parseProcNetSnmp(fixture('proc_net_snmp/debian12-6.18-snmp.txt'));
    expect(warnings).toEqual([]);
    // Udp: 292561 0 25883 318454 25883 0 0 0 0 (checked by hand against the file)
    expect(value['Udp']?.['InDatagrams']).toBe(292561n);
    expect(value['Udp']?.['InErrors']).toBe(25883n);
    expect(value['Udp']?.['RcvbufErrors']).toBe(25883n);
    expect(value['Udp']?.['MemErrors']).toBe(0n);
    expect(value['Ip']?.['InReceives']).toBe(591070n);
    expect(value['Tcp']?.['MaxConn']).toBeUndefined();
    expect(Object.keys(value)).toEqual(
      expect.arrayContaining(['Ip', 'Icmp', 'IcmpMsg', 'Tcp', 'Udp', 'UdpLite']),
    );
  });

  it('debian12-6.18-netstat.txt: TcpExt and IpExt', () => {
    const { value } = parseProcNetSnmp(fixture('proc_net_snmp/debian12-6.18-netstat.txt'));
    expect(value['TcpExt']?.['SyncookiesSent']).toBe(0n);
    expect(value['TcpExt']?.['TCPBacklogDrop']).toBeTypeOf('bigint');
    expect(value['IpExt']?.['InOctets']).toBeGreaterThan(0n);
  });

  it('resynchronises after a broken pair and warns', () => {
    const { value, warnings } = parseProcNetSnmp('Udp: A B\nTcp: 1 2\nTcp: X Y\nTcp: 3 4\n');
    expect(value['Tcp']).toEqual({ X: 3n, Y: 4n });
    expect(warnings.length).toBeGreaterThan(0);
  });
});
