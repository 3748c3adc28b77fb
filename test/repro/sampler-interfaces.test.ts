import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../repro/sampler/parse.js';
import { SUMMED_COUNTERS } from '../../repro/sampler/script.js';
import { runSampler } from './sampler-run.js';

// The sampler on a node with many interfaces: every interface's counters from
// one /proc/net/dev, and the sysfs breakdown only for the watched ones. A
// fake /proc/net/dev and /sys/class/net stand in for the kernel's; the file
// is replaced (rename) while the sampler runs, as the kernel's changes.

let dir: string;
let net: string;
let dev: string;

const HEADER = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
`;
const PODS = Array.from({ length: 40 }, (_, i) => `lxc${i.toString(16).padStart(12, '0')}`);

// One line as the kernel prints it (%6s:%8llu …); `drop` is rx's, `txDrop` tx's.
function line(name: string, o: { rxBytes?: number; drop?: number; txDrop?: number } = {}): string {
  const rx = [o.rxBytes ?? 1000, 10, 0, o.drop ?? 0, 0, 0, 0, 0];
  const tx = [2000, 20, 0, o.txDrop ?? 0, 0, 0, 0, 0];
  return `${name.padStart(6)}:${String(rx[0]).padStart(8)} ${[...rx.slice(1), ...tx].map((v) => String(v).padStart(7)).join(' ')}\n`;
}

async function writeDev(moved: Record<string, { drop?: number; txDrop?: number }>): Promise<void> {
  const body = ['lo', 'eth0', ...PODS].map((n) => line(n, moved[n] ?? {})).join('');
  await writeFile(`${dev}.new`, HEADER + body);
  await rename(`${dev}.new`, dev);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-sampler-ifaces-'));
  net = join(dir, 'net');
  dev = join(dir, 'dev');
  for (const n of ['lo', 'eth0', ...PODS]) {
    await mkdir(join(net, n, 'statistics'), { recursive: true });
    for (const c of SUMMED_COUNTERS)
      await writeFile(join(net, n, 'statistics', c), c === 'rx_missed_errors' ? '7\n' : '0\n');
  }
  await mkdir(join(net, 'eth0', 'device'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The sampler with the slow rate every 2nd sample; `onSample` may change the fake files.
function run(
  shell: readonly string[],
  posixOnly: boolean,
  enough: (samples: Sample[]) => boolean,
  onSample: (s: Sample) => Promise<void> = async () => undefined,
): Promise<{ samples: Sample[]; warnings: string[] }> {
  return runSampler({
    shell,
    posixOnly,
    ethtoolEvery: 2,
    dataIface: 'eth0',
    rewrite: (script) => script.replaceAll('/sys/class/net', net).replaceAll('/proc/net/dev', dev),
    enough,
    onSample,
  });
}

for (const [label, shell, posixOnly] of [
  ['bash', ['sh'], false],
  ['dash', ['dash'], true],
  ['busybox sh', ['busybox', 'sh'], true],
] as const) {
  describe(`the sampler's interfaces under ${label}`, () => {
    it('reads every interface from /proc/net/dev and the sysfs breakdown of the watched ones', async () => {
      await writeDev({});
      const moving = PODS[17]!;
      const { samples, warnings } = await run(
        shell,
        posixOnly,
        (x) => x.length >= 9,
        // From the third sample on, one pod's veth drops on transmit (what
        // veth_xmit counts when the peer's backlog is full), and rx drops grow on eth0.
        async (s) => {
          if (s.seq >= 2)
            await writeDev({ [moving]: { txDrop: s.seq * 10 }, eth0: { drop: s.seq } });
        },
      );
      expect(warnings).toEqual([]);
      expect(samples.length).toBeGreaterThanOrEqual(9);
      const last = samples.at(-1)!;
      // Every interface, with /proc/net/dev's columns under their sysfs names.
      expect(Object.keys(last.ifaces).sort()).toEqual(['eth0', 'lo', ...PODS].sort());
      expect(last.ifaces['lo']?.['rx_bytes']).toBe(1000n);
      expect(last.ifaces[PODS[3]!]?.['tx_packets']).toBe(20n);
      expect(last.ifaces[moving]?.['tx_dropped']).toBeGreaterThan(0n);
      // The data interface is watched from the first sample: rx_missed_errors apart.
      expect(samples[0]!.ifaces['eth0']?.['rx_missed_errors']).toBe(7n);
      expect(last.ifaces['eth0']?.['rx_dropped_plus_missed']).toBeGreaterThan(0n);
      // An idle pod's veth has no sysfs read at all.
      expect(last.ifaces[PODS[3]!]?.['rx_missed_errors']).toBeUndefined();
      if (posixOnly) {
        // No arrays in POSIX sh: the data interface (and its VF) only.
        expect(last.ifaces[moving]?.['rx_missed_errors']).toBeUndefined();
      } else {
        // The veth whose loss column moved joined the watched ones.
        expect(last.ifaces[moving]?.['rx_missed_errors']).toBe(7n);
        const watchedAt = samples.findIndex((s) => s.ifaces[moving]?.['rx_missed_errors'] === 7n);
        expect(watchedAt).toBeGreaterThan(2);
        expect(Object.values(last.ifaces).filter((c) => c['rx_missed_errors'] === 7n)).toHaveLength(
          2,
        );
      }
    });
  });
}

describe('the moved interfaces under bash', () => {
  it('watches at most 8 of them', async () => {
    await writeDev({});
    const { samples } = await run(
      ['sh'],
      false,
      (x) => x.length >= 8,
      async (s) => {
        if (s.seq >= 1) await writeDev(Object.fromEntries(PODS.map((p) => [p, { drop: s.seq }])));
      },
    );
    const watched = Object.entries(samples.at(-1)!.ifaces).filter(
      ([n, c]) => n !== 'eth0' && c['rx_missed_errors'] !== undefined,
    );
    expect(watched).toHaveLength(8);
  });
});
