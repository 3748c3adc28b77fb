import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIperf3Result } from '../../repro/iperf3-result.js';
import { iperf3Available, loopbackRun } from './iperf3-loopback.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/iperf3');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

interface Sum {
  bytes: number;
  bits_per_second: number;
  lost_packets?: number;
  packets?: number;
  lost_percent?: number;
  retransmits?: number;
}
interface Doc {
  intervals: { sum: Sum }[];
  end: Record<string, Sum>;
  server_output_json?: Doc;
}

describe('parseIperf3Result on real captures', () => {
  it('-w: the size asked for and the size the kernel gave, the same from either document', () => {
    for (const [files, asked, got] of [
      [['udp-window-8M-client.json', 'udp-window-8M-server.json'], 8_388_608, 8_388_608],
      [['udp-window-2M-client.json', 'udp-window-2M-server.json'], 2_097_152, 4_194_304],
    ] as const) {
      const client = parseIperf3Result(fixture(files[0])).value;
      const server = parseIperf3Result(fixture(files[1])).value;
      expect(client.server).toMatchObject({ askedBytes: asked, rcvbufBytes: got });
      expect(server.server).toMatchObject({ askedBytes: asked, rcvbufBytes: got });
    }
  });

  it("each side's CPU and socket buffers, from the side that measured them", () => {
    const both = parseIperf3Result(fixture('udp-sender-bound-client.json')).value;
    const raw = JSON.parse(fixture('udp-sender-bound-client.json'));
    const cpu = raw.end.cpu_utilization_percent;
    expect(both.client.cpuPercent).toBe(cpu.host_total);
    // The server's own document wins over the client's remote_total.
    expect(both.server.cpuPercent).toBe(
      raw.server_output_json.end.cpu_utilization_percent.host_total,
    );
    expect(both.client.sndbufBytes).toBe(raw.start.sndbuf_actual);
    expect(both.server.rcvbufBytes).toBe(raw.server_output_json.start.rcvbuf_actual);
    const server = parseIperf3Result(fixture('udp-sender-bound-server.json')).value;
    expect(server.role).toBe('server');
    expect(server.server.rcvbufBytes).toBe(both.server.rcvbufBytes);
    expect(server.client).toEqual({});
    // -b 100G was asked (per stream); the sender fell far short.
    expect(both.targetBitsPerSecond).toBe(100e9);
    expect(both.directions[0]!.senderBitsPerSecond!).toBeLessThan(10e9);
  });

  it('UDP burst mode: intervals, median, receiver-side loss', () => {
    const text = fixture('udp-burst-P2-client.json');
    const raw = JSON.parse(text) as Doc;
    const { value: r, warnings } = parseIperf3Result(text);
    expect(warnings).toEqual([]);
    expect(r).toMatchObject({ role: 'client', protocol: 'udp', numStreams: 2, complete: true });
    expect(r.version).toBe('iperf 3.12');
    expect(r.directions).toHaveLength(1);
    const d = r.directions[0]!;
    expect(d.direction).toBe('client-to-server');
    // 2 s at -i 0.5 on the client; -i is local, so the server reports each second.
    expect(d.sent).toHaveLength(4);
    expect(d.received).toHaveLength(2);
    expect(d.sent.reduce((s, p) => s + p.bytes, 0)).toBe(raw.end['sum_sent']!.bytes);
    expect(d.sent[1]!.timestamp - d.sent[0]!.timestamp).toBeCloseTo(0.5, 1);
    expect(d.sent[0]!.timestamp).toBe(r.startedAt);
    // The receiver's intervals carry the loss; their sum is the total loss.
    const lostInIntervals = d.received.reduce((s, p) => s + (p.lostPackets ?? 0), 0);
    expect(lostInIntervals).toBe(raw.end['sum_received']!.lost_packets);
    expect(d.udp).toEqual({
      packets: raw.end['sum_received']!.packets,
      lostPackets: raw.end['sum_received']!.lost_packets,
      lostPercent: raw.end['sum_received']!.lost_percent,
      jitterMs: expect.any(Number),
    });
    expect(d.udp!.lostPercent).toBeGreaterThanOrEqual(0);
    expect(d.udp!.lostPercent).toBeLessThanOrEqual(100);
    const rates = d.received.map((p) => p.bitsPerSecond);
    expect(d.medianBitsPerSecond).toBeCloseTo((rates[0]! + rates[1]!) / 2);
    expect(d.senderBitsPerSecond).toBe(raw.end['sum_sent']!.bits_per_second);
    expect(d.receiverBitsPerSecond).toBe(raw.end['sum_received']!.bits_per_second);
    expect(d.retransmits).toBeUndefined();
  });

  it('the server document alone gives the receiver view; with the client as peer, both', () => {
    const alone = parseIperf3Result(fixture('udp-burst-P2-server.json')).value;
    expect(alone.role).toBe('server');
    expect(alone.directions[0]!.received).toHaveLength(2);
    expect(alone.directions[0]!.sent).toHaveLength(0);
    expect(alone.directions[0]!.udp!.lostPackets).toBeGreaterThanOrEqual(0);
    const both = parseIperf3Result(
      fixture('udp-burst-P2-server.json'),
      fixture('udp-burst-P2-client.json'),
    ).value;
    expect(both.directions[0]!.sent).toHaveLength(4);
    expect(both.directions[0]!.senderBitsPerSecond).toBeGreaterThan(0);
  });

  it('TCP: retransmits and sender/receiver throughput', () => {
    const text = fixture('tcp-P2-client.json');
    const raw = JSON.parse(text) as Doc;
    const { value: r, warnings } = parseIperf3Result(text);
    expect(warnings).toEqual([]);
    expect(r).toMatchObject({ protocol: 'tcp', numStreams: 2, bidir: false, complete: true });
    const d = r.directions[0]!;
    expect(d.retransmits).toBe(raw.end['sum_sent']!.retransmits);
    expect(typeof d.retransmits).toBe('number');
    expect(d.udp).toBeUndefined();
    expect(d.sent.reduce((s, p) => s + (p.retransmits ?? 0), 0)).toBe(d.retransmits);
    expect(d.bytesReceived).toBe(raw.end['sum_received']!.bytes);
    expect(d.senderBitsPerSecond).toBeGreaterThan(0);
    expect(d.receiverBitsPerSecond).toBeGreaterThan(0);
  });

  it('-R: the server sends; retransmits come back through the results exchange', () => {
    const udp = parseIperf3Result(fixture('udp-reverse-client.json')).value;
    expect(udp.reverse).toBe(true);
    expect(udp.directions.map((d) => [d.direction, d.sender])).toEqual([
      ['server-to-client', 'server'],
    ]);
    expect(udp.directions[0]!.received.length).toBeGreaterThan(0);
    expect(udp.directions[0]!.sent.length).toBeGreaterThan(0);
    const tcp = parseIperf3Result(fixture('tcp-reverse-client.json')).value;
    expect(tcp.directions[0]!.retransmits).toEqual(expect.any(Number));
  });

  it('--bidir: two directions, each with its own totals', () => {
    for (const name of ['tcp-bidir-client.json', 'udp-bidir-client.json']) {
      const { value: r } = parseIperf3Result(fixture(name));
      expect(r.bidir).toBe(true);
      expect(r.directions.map((d) => d.direction)).toEqual([
        'client-to-server',
        'server-to-client',
      ]);
      for (const d of r.directions) {
        expect(d.sent.length).toBeGreaterThan(0);
        expect(d.received.length).toBeGreaterThan(0);
        expect(d.bytesSent).toBeGreaterThan(0);
        expect(d.bytesReceived).toBeGreaterThan(0);
      }
    }
  });

  it("the server's own JSON: written by the server, with the receiver's intervals", () => {
    for (const name of [
      'tcp-P2-server.json',
      'tcp-bidir-server.json',
      'tcp-reverse-server.json',
      'udp-bidir-server.json',
      'udp-reverse-server.json',
    ]) {
      const doc = JSON.parse(fixture(name)) as Doc;
      const { value: r } = parseIperf3Result(fixture(name));
      expect(r.role, name).toBe('server');
      expect(r.directions.length, name).toBeGreaterThan(0);
      expect(doc.intervals.length, name).toBeGreaterThan(0);
    }
  });

  it('the error field: refused and busy', () => {
    const refused = parseIperf3Result(fixture('error-refused-client.json')).value;
    expect(refused.error).toMatch(/^unable to connect to server/);
    expect(refused.complete).toBe(false);
    expect(refused.directions).toEqual([]);
    const busy = parseIperf3Result(fixture('error-busy-client.json')).value;
    expect(busy.error).toMatch(/server is busy running a test/);
  });

  it('a client killed by SIGTERM: the totals so far and the error', () => {
    const { value: r } = parseIperf3Result(fixture('sigterm-client.json'));
    expect(r.error).toBe('interrupt - the client has terminated');
    expect(r.complete).toBe(false);
    const d = r.directions[0]!;
    expect(d.sent.length).toBeGreaterThan(0);
    expect(d.bytesSent).toBeGreaterThan(0);
    // The client's sum_received is all zeros: not a measurement.
    expect(d.receiverBitsPerSecond).toBeUndefined();
    const withServer = parseIperf3Result(
      fixture('sigterm-client.json'),
      fixture('sigterm-server.json'),
    ).value;
    expect(withServer.serverError).toBe('the client has terminated');
    expect(withServer.directions[0]!.received.length).toBeGreaterThan(0);
  });

  it('never throws on truncated or garbage output', () => {
    const text = fixture('udp-burst-P2-client.json');
    for (const cut of [0, 1, 50, 500, 2000, 4000, text.length - 300, text.length - 2]) {
      const { value, warnings } = parseIperf3Result(text.slice(0, cut));
      expect(value.complete).toBe(false);
      expect(warnings.length).toBeGreaterThan(0);
    }
    // Cut inside the intervals: the complete ones before the cut are kept.
    const at = text.indexOf('"intervals"') + 2500;
    const partial = parseIperf3Result(text.slice(0, at)).value;
    expect(partial.protocol).toBe('udp');
    expect(partial.startedAt).toEqual(expect.any(Number));
    expect(partial.directions[0]?.sent.length ?? 0).toBeGreaterThan(0);
    for (const junk of ['', 'garbage', '{{{', 'null', '[1,2]', '{"end": 5, "intervals": "x"}']) {
      expect(() => parseIperf3Result(junk)).not.toThrow();
    }
    const noisy = parseIperf3Result(`iperf3: warning\n${text}`);
    expect(noisy.value.complete).toBe(true);
  });
});

describe('parseIperf3Result on live iperf3 runs (127.0.0.1 only)', async () => {
  const available = await iperf3Available();

  it.skipIf(!available)('UDP burst mode, 2 streams', async () => {
    const { client, server } = await loopbackRun([
      '-u',
      '-b',
      '200M/16',
      '-P',
      '2',
      '-l',
      '1400',
      '-t',
      '1',
    ]);
    const r = parseIperf3Result(client);
    expect(r.warnings).toEqual([]);
    expect(r.value.complete).toBe(true);
    const d = r.value.directions[0]!;
    expect(d.udp!.packets).toBeGreaterThan(0);
    expect(d.udp!.lostPercent).toBeGreaterThanOrEqual(0);
    expect(d.udp!.lostPercent).toBeLessThanOrEqual(100);
    const raw = JSON.parse(client) as Doc;
    expect(d.sent.reduce((s, p) => s + p.bytes, 0)).toBe(raw.end['sum_sent']!.bytes);
    expect(parseIperf3Result(server).value.role).toBe('server');
  });

  it.skipIf(!available)('TCP, 2 streams', async () => {
    const { client } = await loopbackRun(['-P', '2', '-t', '1']);
    const d = parseIperf3Result(client).value.directions[0]!;
    expect(d.retransmits).toEqual(expect.any(Number));
    expect(d.medianBitsPerSecond).toBeGreaterThan(0);
  });

  it.skipIf(!available)('a closed port gives the error JSON', async () => {
    const { freePort } = await import('./iperf3-loopback.js');
    const { execa } = await import('execa');
    const port = await freePort();
    const r = await execa('iperf3', ['-c', '127.0.0.1', '-p', String(port), '-J'], {
      reject: false,
      timeout: 10_000,
    });
    expect(parseIperf3Result(r.stdout).value.error).toMatch(/unable to connect/);
  });
});
