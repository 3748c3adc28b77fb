import { closeSync, createWriteStream, openSync, writeSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { fixture } from '../fixture-files.js';

// Archives a stranger could send, built byte by byte in the tests: tar-stream
// writes the headers (links, FIFOs, devices included), zlib compresses.

export interface Member {
  name: string;
  type?: tar.Header['type'];
  data?: string | Buffer;
  linkname?: string;
  mode?: number;
  devmajor?: number;
  devminor?: number;
}

export async function writeTar(file: string, members: Member[], gzip = true): Promise<void> {
  const pack = tar.pack();
  for (const m of members) {
    const { data, ...header } = m;
    const type = m.type ?? 'file';
    if (type === 'file') pack.entry({ ...header, type }, data ?? '');
    else pack.entry({ ...header, type });
  }
  pack.finalize();
  if (gzip) await pipeline(pack, createGzip(), createWriteStream(file));
  else await pipeline(pack, createWriteStream(file));
}

// A sos report's networking files, from real captures (AWS ENA host).
export function sosFiles(top: string): Member[] {
  const put = (fix: string, rel: string): Member => ({
    name: `${top}/${rel}`,
    data: fixture(fix),
  });
  return [
    put(
      'ip_link/ip-s-s-link-eth0-aws-ena-ubuntu20-iproute2-5.5-missed-in-errors-row.txt',
      'sos_commands/networking/ip_-s_-d_link',
    ),
    put('ethtool_S/ethq-test-ena.txt', 'sos_commands/networking/ethtool_-S_eth0'),
    put('ethtool_g/ena-aws-ens5-tabs-na.txt', 'sos_commands/networking/ethtool_-g_eth0'),
    put('ethtool_i/ena-aws-t3.micro-2.5.0g.txt', 'sos_commands/networking/ethtool_-i_eth0'),
  ];
}

export const SOFTNET = 'softnet_stat/aws-ec2-ubuntu-5.4.0-1084-aws-2cpu-11col.txt';

const MiB = 1 << 20;

// A gzip stream that unpacks to `gib` GiB without writing them anywhere:
// one member of 16 MiB of zeros (16 KiB compressed), repeated; gunzip reads
// concatenated members as one stream. With `header`, the zeros are the
// content of one huge file entry; without, they are tar padding.
export async function writeBomb(file: string, gib: number, header?: string): Promise<void> {
  const member = gzipSync(Buffer.alloc(16 * MiB), { level: 9 });
  const fd = openSync(file, 'w');
  try {
    if (header) writeSync(fd, gzipSync(await headerOf({ name: header, size: gib * 1024 * MiB })));
    for (let i = 0; i < gib * 64; i++) writeSync(fd, member);
  } finally {
    closeSync(fd);
  }
}

// The 512-byte header tar-stream writes for one entry.
export async function headerOf(h: { name: string; size: number }): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry(h);
  const first = await new Promise<Buffer>((r) => pack.once('data', (c) => r(c as Buffer)));
  pack.destroy();
  return first.subarray(0, 512);
}

// `n` empty files. tar-stream's pack needs about 250 µs an entry; these
// headers are written directly (ustar, with their checksum).
export async function writeManyEntries(file: string, n: number): Promise<void> {
  function* batches() {
    for (let at = 0; at < n; at += 10_000) {
      const count = Math.min(10_000, n - at);
      const buf = Buffer.alloc(count * 512);
      for (let i = 0; i < count; i++) ustarHeader(`many/f${at + i}`).copy(buf, i * 512);
      yield buf;
    }
  }
  await pipeline(Readable.from(batches()), createGzip({ level: 1 }), createWriteStream(file));
}

function ustarHeader(name: string): Buffer {
  const b = Buffer.alloc(512);
  b.write(name, 0, 100, 'utf8');
  b.write('0000644\0', 100);
  b.write('0000000\0', 108);
  b.write('0000000\0', 116);
  b.write('00000000000\0', 124);
  b.write('14707000000\0', 136);
  b.write('        ', 148);
  b.write('0', 156);
  b.write('ustar\x0000', 257, 'latin1');
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return b;
}

// How `fn` ends (its error, if any), how long it takes, and how much the
// resident memory grows meanwhile (sampled every 10 ms).
export async function measure(
  fn: () => Promise<unknown>,
): Promise<{ error: unknown; ms: number; rssGrowthMiB: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { error, ms: performance.now() - started, rssGrowthMiB: (peak - before) / MiB };
}
