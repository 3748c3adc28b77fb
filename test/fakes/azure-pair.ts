import { MANA_WITH_NO_WQE, MLX5_VF_ETHTOOL_G } from '../collectors/diagnosis/captures.js';
import { fixture } from '../collectors/fixture-files.js';
import { capture } from './captures.js';
import type { Answer } from './fake-transport.js';
import {
  samplerOutput,
  snapshotOutput,
  traceEnd,
  traceFormat,
  traceInterval,
} from './host-output.js';

// An Azure accelerated-networking receiver, as the fakes answer for vmB: eth0 is hv_netvsc,
// enP30832s1 the VF enslaved to it (mlx5_core, or mana on newer VM sizes), and the burst
// overflows the VF's RX ring.
//
// What is real and what is composed:
// - Real captures (test/fixtures/SOURCES.md): eth0's `ethtool -S` (hv_netvsc, WSL2 5.10, the
//   elided one) and `ethtool -i`; the mlx5 VF's `ethtool -S` (ethq's mlx5_core ConnectX-4) and
//   `ethtool -i`; the mana VF's `ethtool -S` (an Azure VM, 2024, partial); the mlx5 VF's
//   `lspci -Dnnk` block (an Azure NV16as v4 VM); /proc/stat (this machine); softnet_stat,
//   uname, hostname and sysctl of the lab's vmB (test/fakes/captures).
// - Composed: the counters that move, set by hand on the real key sets so that the run adds
//   up: iperf3's udp-burst-P2 capture sent 178,560 datagrams and lost 42, so the VF's drop
//   counter (mlx5 rx_out_of_buffer, and rx_missed_errors, which mlx5 feeds from it; mana
//   hc_rx_discards_no_wqe) rises by 42, the VF's received packets and eth0's vf_rx_packets by
//   the 178,518 that arrived, and eth0's rx_packets by those plus 12 packets that took the
//   synthetic path. The sysfs lines (driver, master, counters) are written in the loop's
//   format. The mlx5 VF's bus-info is the lspci capture's slot (00c4:00:02.0) in place of the
//   ethq capture's PF slot, and its ring is the hand-written `ethtool -g` of
//   test/collectors/diagnosis/captures.ts (1024 of 8192). The mana capture predates
//   hc_rx_discards_no_wqe: captures.ts appends it. No `ethtool -i` or `lspci` of a mana VF is
//   in test/fixtures: both are written in their tools' formats, with MANA's PCI ids
//   (1414:00ba). The kernel log is composed from hv_netvsc's and the VF driver's format
//   strings (see test/collectors/kernel-log.test.ts): the VF's arrival at boot, an hour
//   before the run.

export const VF = 'enP30832s1';
export const ARRIVED = 178_518n;
export const LOST = 42n;
export const SYNTHETIC_ONLY = 12n;
// eth0's counters before the run: what it received since boot, nearly all on the VF.
const RX_BEFORE = 9_000_000n;
const VF_RX_BEFORE = 8_999_000n;

const NETVSC_S = fixture('ethtool_S/hv_netvsc-wsl2-5.10.102.1-microsoft-elided.txt');
const NETVSC_I = fixture('ethtool_i/hv_netvsc-wsl2-5.10.102.1-microsoft.txt');
const PROC_STAT = fixture('proc_stat/debian12-6.18-2cpu-microvm-no-steal.txt');
const SOFTNET = fixture('softnet_stat/aws-ec2-ubuntu-5.4.0-1084-aws-2cpu-11col.txt');

export interface VfDriver {
  driver: 'mlx5_core' | 'mana';
  slot: string;
  // What the VF prints, and which of its counters count the drops and the packets.
  ethtoolS: string;
  drop: string;
  received: string[];
  ethtoolI: string;
  ethtoolG?: string;
  lspci: string;
  // The kernel's rx_missed_errors is fed from the drop counter (mlx5 only).
  missed: boolean;
}

export const MLX5: VfDriver = {
  driver: 'mlx5_core',
  slot: '00c4:00:02.0',
  ethtoolS: fixture('ethtool_S/ethq-test-mlx5_core.txt'),
  drop: 'rx_out_of_buffer',
  received: ['rx_packets', 'rx_vport_unicast_packets'],
  ethtoolI: fixture('ethtool_i/mlx5_core-connectx4-ubuntu18.04-4.15-fw14.23.txt').replace(
    'bus-info: 0000:af:00.0',
    'bus-info: 00c4:00:02.0',
  ),
  ethtoolG: MLX5_VF_ETHTOOL_G,
  lspci: fixture('lspci/azure-nv16as-v4-centos7-mlx5-vf-and-gpus.txt')
    .split('\n')
    .slice(3, 7)
    .join('\n'),
  missed: true,
};

export const MANA: VfDriver = {
  driver: 'mana',
  slot: '7870:00:00.0',
  ethtoolS: MANA_WITH_NO_WQE,
  drop: 'hc_rx_discards_no_wqe',
  received: ['rx_0_packets'],
  ethtoolI:
    'driver: mana\nversion: 6.8.0-1021-azure\nfirmware-version: \nbus-info: 7870:00:00.0\nsupports-statistics: yes\n',
  lspci:
    '7870:00:00.0 Ethernet controller [0200]: Microsoft Corporation Microsoft Azure Network Adapter Virtual Bus [1414:00ba]\n\tKernel driver in use: mana\n\tKernel modules: mana',
  missed: false,
};

// A counter of a real capture, set to a value (the key must be in the capture; a key the
// capture repeats is set where it first appears).
function withCounter(text: string, key: string, value: bigint): string {
  const re = new RegExp(`^(\\s*${key}: )\\d+$`, 'm');
  if (!re.test(text)) throw new Error(`${key} is not in the capture`);
  return text.replace(re, `$1${value}`);
}

function counterIn(text: string, key: string): bigint {
  return BigInt(new RegExp(`^\\s*${key}: (\\d+)$`, 'm').exec(text)![1]!);
}

// Where the run is: `arrived` datagrams of the burst so far, `lost` of them dropped on the VF.
export function counters(d: VfDriver, arrived: bigint, lost: bigint) {
  const vfRx = VF_RX_BEFORE + arrived;
  const eth0S = withCounter(
    withCounter(NETVSC_S, 'vf_rx_packets', vfRx),
    'vf_rx_bytes',
    vfRx * 1400n,
  );
  const vfS = d.received.reduce(
    (t, k) => withCounter(t, k, counterIn(d.ethtoolS, k) + arrived),
    withCounter(d.ethtoolS, d.drop, lost),
  );
  const synthetic = arrived === 0n ? 0n : SYNTHETIC_ONLY;
  const sysfs: Record<string, bigint> = {
    'eth0/rx_packets': RX_BEFORE + arrived + synthetic,
    [`${VF}/rx_packets`]: counterIn(d.ethtoolS, d.received[0]!) + arrived,
    ...(d.missed ? { [`${VF}/rx_missed_errors`]: lost } : {}),
  };
  return { eth0S, vfS, sysfs };
}

const GUID = '000d3a12-3456-000d-3a12-3456000d3a12';
const kernelLog = (
  d: VfDriver,
  uptime: number,
) => `# clock uptime=${uptime.toFixed(2)} realtime=${(Date.now() / 1000).toFixed(6)}
[    2.345678] hv_netvsc ${GUID} eth0: VF slot 1 added
[    4.678901] hv_netvsc ${GUID} eth0: VF registering: ${VF}
[    4.789012] ${d.driver} ${d.slot} ${VF}: joined to eth0
[    5.890123] hv_netvsc ${GUID} eth0: Data path switched to VF: ${VF}
`;

// vmB's snapshot before (nothing arrived yet) or after the burst.
export function azureSnapshot(d: VfDriver, moment: 'before' | 'after'): Answer {
  return (call) => {
    const c = moment === 'before' ? counters(d, 0n, 0n) : counters(d, ARRIVED, LOST);
    const sysfs = [
      'eth0/driver hv_netvsc',
      'eth0/mtu 1500',
      'eth0/operstate up',
      `${VF}/driver ${d.driver}`,
      `${VF}/master eth0`,
      `${VF}/mtu 1500`,
      `${VF}/operstate up`,
      ...Object.entries(c.sysfs).map(([k, v]) => `${k} ${v}`),
    ].join('\n');
    return {
      stdout: snapshotOutput(call.req.script!, [
        { id: 'uname', body: capture('uname-vmB.txt') },
        { id: 'hostname', body: capture('hostname-vmB.txt') },
        { id: 'softnet_stat', body: SOFTNET },
        { id: 'sysctl', body: capture('sysctl-vmB.txt') },
        { id: 'sysfs_net', body: sysfs },
        { id: 'lspci', body: d.lspci },
        { id: 'kernel_log', body: kernelLog(d, moment === 'before' ? 3600 : 3603) },
        { id: 'ethtool_i', iface: 'eth0', body: NETVSC_I },
        { id: 'ethtool_i', iface: VF, body: d.ethtoolI },
        { id: 'ethtool_S', iface: 'eth0', body: c.eth0S },
        { id: 'ethtool_S', iface: VF, body: c.vfS },
        ...(d.ethtoolG ? [{ id: 'ethtool_g', iface: VF, body: d.ethtoolG }] : []),
      ]),
    };
  };
}

// The sampler on vmB: three samples at 100 ms now (the first at the slow rate), the rest
// when stopped; the VF's ring overflows between the first slow sample and the last.
export function azureSampler(d: VfDriver): Answer {
  return async (call) => {
    const t0 = BigInt(Date.now()) * 1_000_000n;
    const at = (i: number, arrived: bigint, lost: bigint, slow: boolean) => {
      const c = counters(d, arrived, lost);
      return {
        hostNs: t0 + BigInt(i) * 100_000_000n,
        softnet: SOFTNET,
        counters: c.sysfs,
        ...(slow
          ? {
              ethtool: [
                ['eth0', c.eth0S],
                [VF, c.vfS],
              ] as Array<[string, string]>,
              procStat: PROC_STAT,
            }
          : {}),
      };
    };
    call.emit(
      samplerOutput(call.req.script!, [
        at(0, 0n, 0n, true),
        at(1, 60_000n, 0n, false),
        at(2, 120_000n, 10n, true),
      ]),
    );
    await call.ended;
    return {
      stdout: samplerOutput(call.req.script!, [at(3, ARRIVED, LOST, true)], 3),
      exitCode: 143,
    };
  };
}

// The tracer on vmB: it ran, and the kernel freed nothing as dropped (the VF dropped the
// datagrams before any skb existed).
export const quietTracer: Answer = async (call) => {
  call.emit(traceFormat(capture('kfree_skb-format.txt')));
  call.emit(traceInterval({ uptime: 3601.5, drops: [] }));
  await call.ended;
  return { stdout: traceEnd(0) };
};
