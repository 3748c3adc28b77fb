import { renameSync, rmSync, symlinkSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBoundary } from '../../collectors/snapshot/script.js';
import { toSeries } from '../../repro/run/series.js';
import { feedSampler, newSamplerStream, type Sample } from '../../repro/sampler/parse.js';
import { FIXTURES_DIR } from '../collectors/fixture-files.js';
import { runSampler } from './sampler-run.js';

// The sampler's slow rate on an Azure accelerated-networking host, by the
// script's own shell code: the data interface eth0 (hv_netvsc) and, found by
// the glob over /sys/class/net/eth0/lower_*, its VF (mlx5_core), each read
// with ethtool -S; /proc/stat's CPU lines. The host is a fake: a sysfs tree
// in a temporary directory (the script's /sys/class/net is pointed at it), an
// `ethtool` on the PATH that prints the real captures (hv_netvsc from WSL2,
// the ethq mlx5_core one) with rx_out_of_buffer rising at each call, and
// /proc/stat from this machine (test/fixtures/proc_stat).

const NETVSC = `${FIXTURES_DIR}ethtool_S/hv_netvsc-wsl2-5.10.102.1-microsoft-elided.txt`;
const MLX5 = `${FIXTURES_DIR}ethtool_S/ethq-test-mlx5_core.txt`;
const PROC_STAT = `${FIXTURES_DIR}proc_stat/debian12-6.18-2cpu-microvm-no-steal.txt`;

let dir: string;
let net: string;
let bin: string;

// ethtool -S IFACE: the captures; the VF's rx_out_of_buffer counts the calls.
// Any other interface has vanished: stderr only, as ethtool prints it.
const FAKE_ETHTOOL = `#!/bin/sh
[ "$1" = -S ] || exit 1
case $2 in
  eth0) cat '${NETVSC}' ;;
  enP30832s1|enP30833s1)
    n=0; [ -f "$D/calls" ] && read -r n < "$D/calls"; n=$((n + 1)); echo "$n" > "$D/calls"
    sed "s/^rx_out_of_buffer: .*/rx_out_of_buffer: $((n * 1000))/" '${MLX5}' ;;
  *) echo "Cannot get stats strings information: No such device" >&2; exit 76 ;;
esac
`;

async function iface(name: string, opts: { device?: boolean } = {}): Promise<void> {
  await mkdir(join(net, name, 'statistics'), { recursive: true });
  await writeFile(join(net, name, 'statistics', 'rx_packets'), '1000\n');
  if (opts.device) await mkdir(join(net, name, 'device'), { recursive: true });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-sampler-vf-'));
  net = join(dir, 'net');
  bin = join(dir, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'ethtool'), FAKE_ETHTOOL);
  await chmod(join(bin, 'ethtool'), 0o755);
  await iface('eth0', { device: true });
  await iface('enP30832s1', { device: true });
  // A lower device without a device behind it (a bridge's veth): not read.
  await iface('veth1');
  // A VF whose ethtool fails: it vanished between the glob and ethtool.
  await iface('enP7s1', { device: true });
  await symlink('../enP30832s1', join(net, 'eth0', 'lower_enP30832s1'));
  await symlink('../veth1', join(net, 'eth0', 'lower_veth1'));
  await symlink('../enP7s1', join(net, 'eth0', 'lower_enP7s1'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The sampler with the slow rate every 3rd sample, ethtool from the fake bin.
async function run(
  shell: readonly string[],
  posixOnly: boolean,
  enough: (samples: Sample[]) => boolean,
  onSample?: (s: Sample) => void,
): Promise<{ samples: Sample[]; warnings: string[] }> {
  await rm(join(dir, 'calls'), { force: true });
  return runSampler({
    shell,
    posixOnly,
    ethtoolEvery: 3,
    dataIface: 'eth0',
    rewrite: (script) =>
      script.replaceAll('/sys/class/net', net).replaceAll('/proc/stat', PROC_STAT),
    env: { PATH: `${bin}:${process.env['PATH']}`, D: dir },
    enough,
    ...(onSample ? { onSample } : {}),
  });
}

const slow = (samples: Sample[]) => samples.filter((s) => s.seq % 3 === 0);

for (const [label, shell, posixOnly] of [
  ['bash', ['sh'], false],
  ['dash', ['dash'], true],
  ['busybox sh', ['busybox', 'sh'], true],
] as const) {
  describe(`the sampler's VF under ${label}`, () => {
    it('reads ethtool -S of the data interface and its VF at the slow rate, with /proc/stat', async () => {
      const { samples, warnings } = await run(shell, posixOnly, (x) => x.length >= 7);
      expect(warnings).toEqual([]);
      // Three slow samples: 0, 3 and 6.
      expect(samples.length).toBeGreaterThanOrEqual(7);
      for (const s of samples) {
        if (s.seq % 3) {
          expect(s.ethtool, `sample ${s.seq}`).toBeUndefined();
          expect(s.cpuTimes, `sample ${s.seq}`).toBeUndefined();
          continue;
        }
        // eth0, then the VF; veth1 has no device, enP7s1 printed nothing.
        expect(s.ethtool?.map((e) => e.iface)).toEqual(['eth0', 'enP30832s1']);
        expect(s.ethtool?.[0]?.stats['vf_rx_packets']).toBe(0n);
        // The real capture's cpu0 and cpu1 lines (test/fixtures/proc_stat).
        expect(s.cpuTimes).toEqual([
          { cpu: 0, softirq: 114004n, steal: 0n },
          { cpu: 1, softirq: 110552n, steal: 0n },
        ]);
      }
      const oob = slow(samples).map((s) => s.ethtool?.[1]?.stats['rx_out_of_buffer']);
      expect(oob.slice(0, 2)).toEqual([1000n, 2000n]);
      const keys = toSeries({ host: 'vmB', offsetMs: 0, errorMs: 0, samples }).map((x) => x.key);
      expect(keys).toContain('ethtool.enP30832s1.rx_out_of_buffer');
      expect(keys).toEqual(
        expect.arrayContaining(['cpu.cpu0.softirq', 'cpu.cpu0.steal', 'cpu.cpu1.steal']),
      );
      // A counter that did not move is not kept.
      expect(keys).not.toContain('ethtool.enP30832s1.rx_discards_phy');
    });

    it('follows the VF when it is removed and comes back under a new name', async () => {
      // Host servicing, paced by what the sampler sends: after the first slow sample the VF
      // goes away; after the next one it is back as another PCI device, under a new name.
      let step = 0;
      const serviced = (s: Sample) => {
        if (!s.ethtool) return;
        if (step === 0) {
          rmSync(join(net, 'eth0', 'lower_enP30832s1'));
          renameSync(join(net, 'enP30832s1'), join(net, 'enP30833s1'));
        } else if (step === 1) symlinkSync('../enP30833s1', join(net, 'eth0', 'lower_enP30833s1'));
        step++;
      };
      try {
        // Two slow samples of the new VF: a counter that rose between them.
        const back = (x: Sample[]) =>
          x.filter((y) => y.ethtool?.some((e) => e.iface === 'enP30833s1')).length >= 2;
        const { samples, warnings } = await run(shell, posixOnly, back, serviced);
        expect(warnings).toEqual([]);
        const names = slow(samples).map((s) => s.ethtool?.map((e) => e.iface).join(','));
        expect(names.length).toBeGreaterThanOrEqual(3);
        expect(names[0]).toBe('eth0,enP30832s1');
        expect(names.at(-1)).toBe('eth0,enP30833s1');
        expect(
          names.every((n) => n === 'eth0,enP30832s1' || n === 'eth0' || n === 'eth0,enP30833s1'),
        ).toBe(true);
        // Both names are series of their own.
        const keys = toSeries({ host: 'vmB', offsetMs: 0, errorMs: 0, samples }).map((x) => x.key);
        expect(keys).toContain('ethtool.enP30833s1.rx_out_of_buffer');
      } finally {
        // Put the tree back for the next shell.
        rmSync(join(net, 'eth0', 'lower_enP30833s1'), { force: true });
        rmSync(join(net, 'eth0', 'lower_enP30832s1'), { force: true });
        try {
          renameSync(join(net, 'enP30833s1'), join(net, 'enP30832s1'));
        } catch {
          // Not renamed: the run ended before the first slow sample.
        }
        symlinkSync('../enP30832s1', join(net, 'eth0', 'lower_enP30832s1'));
      }
    });
  });
}

describe('a stream a host forged', () => {
  it('drops an ethtool block whose name no interface can have, and a repeated one', () => {
    const B = newBoundary();
    const st = newSamplerStream(B);
    const block = (name: string, body: string) => `${B} X< ${name}\n${body}\n${B} X>\n`;
    const samples = feedSampler(
      st,
      [
        `${B} S 0 1000000000\n`,
        block('eth0', 'NIC statistics:\n     vf_rx_packets: 5'),
        block('__proto__', 'rx_out_of_buffer: 7'),
        block('a b', 'rx_out_of_buffer: 7'),
        block('x'.repeat(300), 'rx_out_of_buffer: 7'),
        block('eth0', 'vf_rx_packets: 9'),
        'T cpu0 1 2 3 4 5 6 7 8 0 0\nT cpu0 garbage\nT cpu1 x\n',
        `${B} E\n`,
      ].join(''),
    );
    expect(samples).toHaveLength(1);
    // `__proto__` is a valid interface name: it stays, as an own key.
    expect(samples[0]!.ethtool).toEqual([
      { iface: 'eth0', stats: { vf_rx_packets: 5n } },
      { iface: '__proto__', stats: { rx_out_of_buffer: 7n } },
    ]);
    expect(samples[0]!.cpuTimes).toEqual([{ cpu: 0, softirq: 7n, steal: 8n }]);
    expect(st.warnings).toHaveLength(3);
    expect(st.warnings[0]).toMatch(/ethtool -S of "a b" ignored/);
    expect(Object.getPrototypeOf(samples[0]!.ethtool![1]!.stats)).toBe(Object.prototype);
  });

  it('reads at most the 5 blocks the script prints in one sample', () => {
    const B = newBoundary();
    const st = newSamplerStream(B);
    const blocks = Array.from({ length: 9 }, (_, i) => `${B} X< e${i}\nrx: ${i}\n${B} X>\n`);
    const [s] = feedSampler(st, `${B} S 0 1000000000\n${blocks.join('')}${B} E\n`);
    expect(s!.ethtool?.map((e) => e.iface)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(st.warnings).toEqual([
      'sample 0: ethtool -S of "e5" ignored: not an interface name, repeated, or one too many',
    ]);
  });
});
