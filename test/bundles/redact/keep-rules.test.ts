import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../bundles/redact/index.js';
import { SECRET_A } from './helpers.js';

function redact(text: string): string {
  return createRedactor({ secret: SECRET_A }).redactText(text).text;
}

// Lines copied from, or shaped like, real outputs: each must come back unchanged.
const KEPT_LINES = [
  // IPv4 that identifies no host
  'inet 127.0.0.1/8 scope host lo',
  'nameserver 127.0.0.53',
  'LISTEN 0 4096 0.0.0.0:22 0.0.0.0:*',
  'default 0.0.0.0/0 brd 255.255.255.255',
  'Genmask 255.255.240.0',
  'inet 224.0.0.251',
  'SSDP 239.255.255.250',
  'curl http://169.254.169.254/metadata/instance',
  'inet 169.254.0.7/16 scope link',
  'nameserver 168.63.129.16',
  // IPv4 look-alikes
  '[    0.000000] Linux version 5.10.102.1-microsoft-standard-WSL2 (oe-user@oe-host)',
  'version: 5.10.102.1-microsoft-standard-W',
  'firmware-version: 16.35.2000.1',
  'fw_ver=1.2.3.4',
  'OID 1.3.6.1.2.1.2.2',
  'agent v1.2.3.4',
  'libfoo 2.3.4.5-1ubuntu1 amd64',
  'kernel 1.2.3.4+deb11',
  'not an address 256.1.2.3',
  'glued x10.1.2.3 and 10.1.2.3x',
  // IPv6 that identifies no host
  'inet6 ::1/128 scope host',
  'LISTEN 0 128 [::]:22 [::]:*',
  'tcp6 0 0 :::22 :::* LISTEN',
  'tcp6 0 0 ::1:631 :::* LISTEN',
  'inet6 ff02::1',
  'ff02::2 ip6-allrouters',
  'fe00::0 ip6-localnet',
  'default via fe80::1234:5678:9abc:def0 dev eth0 proto ra',
  'inet6 fe80::1%eth0',
  // MACs that identify no NIC
  'link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  'brd ff:ff:ff:ff:ff:ff',
  'link  01:00:5e:00:00:fb',
  'link  33:33:00:00:00:01',
  // not addresses at all
  'bus-info: 0000:00:05.0',
  'bus-info: 0000:af:00.0',
  'mlx5_core 7870:00:02.0 enP30832s1: Link up',
  'pci 0000:00:1f.6: [8086:15bc] type 00 class 0x020000',
  'location=enqueue_to_backlog+0x1a0/0x2b0',
  'RIP: 0010:enqueue_to_backlog+0x1a0/0x2b0',
  '0000a1b2 00000000 0000003c 00000000 00000000',
  'Tue Apr 30 14:24:54 UTC 2024',
  '2024-05-02T10:11:12.345678Z',
  'elapsed 12:34:56.789',
  'firmware-version: 14.23.1020 (MT_2420110034)',
  '     rx_queue_0_xdp_drop: 0',
  '     port.rx_dropped: 12',
  '     rx_out_of_buffer: 1234567',
  'terminate called after std::bad_alloc in std::vector',
  'uuid 00000000-0000-0000-0000-000000000000',
  'Inter-|   Receive                                                |  Transmit',
  // names and pairs that are not secrets
  '"disablePasswordAuthentication": "true"',
  'password: null',
  'token=',
  'home /root/.ssh and /home/root',
  'group default qlen 1000',
  '{"constructor": "abc", "toString": "def", "__proto__": "ghi"}',
];

describe('keep rules', () => {
  for (const line of KEPT_LINES)
    it(`keeps ${JSON.stringify(line)}`, () => expect(redact(line)).toBe(line));
});

const REDACTED = [
  ['inet 10.1.2.3/24', '10.1.2.3'],
  ['nameserver 10.0.0.10', '10.0.0.10'],
  ['server 10.1.2.3', '10.1.2.3'],
  ['range 10.1.2.3-10.1.2.9', '10.1.2.3'],
  ['range 10.1.2.3-10.1.2.9', '10.1.2.9'],
  ['connecting to...10.1.2.3', '10.1.2.3'],
  ['peer is 10.1.2.3.', '10.1.2.3'],
  ['SRC=52.174.10.20 DST=10.224.0.4', '52.174.10.20'],
  ['lab 198.18.0.5', '198.18.0.5'],
  ['dns 8.8.8.8', '8.8.8.8'],
  ['host ip-10-1-2-3.ec2.internal', '10-1-2-3'],
  ['ec2-54-12-34-56.compute-1.amazonaws.com', '54-12-34-56'],
  ['pod 10-244-1-7 ready', '10-244-1-7'],
  ['inet6 2603:1030:40c:a::17/128', '2603:1030:40c:a::17'],
  ['inet6 fd00::5/64', 'fd00::5'],
  ['addr:2603:1030::17', '2603:1030::17'],
  ['inet6 fe80::20d:3aff:fe12:3456/64', '3aff:fe12:3456'],
  ['peer ::ffff:10.1.2.3', '10.1.2.3'],
  ['nat64 64:ff9b::10.1.2.3', '10.1.2.3'],
  ['inet6 ff02::1:ff12:3456', 'ff12:3456'],
  ['link/ether 02:42:ac:11:00:02', '02:42:ac:11:00:02'],
  ['link/ether 52:54:00:f4:54:a1', '52:54:00:f4:54:a1'],
  ['HWaddr AA-BB-CC-DD-EE-F0', 'AA-BB-CC-DD-EE-F0'],
  ['Gi1/0/1 0012.3456.789a', '0012.3456.789a'],
  ['Device Serial Number 00-0d-3a-ff-ff-12-34-56', '12-34-56'],
  ['link  33:33:ff:12:34:56', '33:33:ff:12:34:56'],
  ['MAC=00:0d:3a:12:34:56:12:34:56:78:9a:bc:08:00', '12:34:56:78:9a:bc'],
  ['link/infiniband 80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0a:0b:0c', '00:0a:0b:0c'],
  ['boot_id 5c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5', '5c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5'],
  ['disk-5C1D2E3F-4A5B-4C6D-8E9F-A0B1C2D3E4F5.vhd', '5C1D2E3F-4A5B-4C6D-8E9F-A0B1C2D3E4F5'],
  ['path.data: /home/alicew/data', 'alicew'],
  ['~ is /Users/bobk', 'bobk'],
  ['ExecStart=/var/home/carolz/bin/x', 'carolz'],
] as const;

describe('redacted look-alikes', () => {
  for (const [line, value] of REDACTED)
    it(`replaces ${value} in ${JSON.stringify(line)}`, () => {
      const out = redact(line);
      expect(out).not.toContain(value);
      // Nothing else of the line is eaten: the words around the value are still there.
      for (const word of line.split(/[\s=]+/).filter((w) => !/\d/.test(w) && !w.includes(value)))
        expect(out).toContain(word);
    });
});

describe('discovered values under the keep rules', () => {
  it('ignores stock and too-short names, system users and kept addresses', () => {
    const r = createRedactor({
      secret: SECRET_A,
      discovered: {
        hostnames: ['localhost', 'ip6-localhost', 'vm'],
        domains: ['cluster.local', 'default.svc.cluster.local'],
        users: ['root', 'nobody'],
        extra: [
          { category: 'ipv4', value: '127.0.0.1' },
          { category: 'mac', value: 'ff:ff:ff:ff:ff:ff' },
        ],
      },
    });
    const text =
      'localhost vm.swappiness=60 root default.svc.cluster.local 127.0.0.1 ff:ff:ff:ff:ff:ff';
    expect(r.redactText(text).text).toBe(text);
    expect(r.sensitiveValues()).toEqual([]);
  });
});
