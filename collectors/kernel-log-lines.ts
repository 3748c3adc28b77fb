import { isValidIfaceName } from './iface-name.js';

// Which kernel log lines speak of the datapath, and what each says. Pure: the host-side filter
// (kernel-log.ts) is generated from the same patterns, so a line the host keeps is a line this
// module recognises.
//
// The patterns are POSIX EREs that mean the same to awk and to a JavaScript RegExp: only
// literals, `[...]`, `(a|b)`, `?`, `*`, `^`; no `/` (they go into an awk regex literal), no `'`
// (the awk program is single-quoted), no backslash. They are matched against the message in
// lower case, after the `[ seconds]` stamp and the printk caller id.
export const DATAPATH_PATTERNS: readonly string[] = [
  // Every line of the drivers on the datapath: the synthetic NIC and its VMBus, the Hyper-V PCI
  // bus the VF comes and goes on, and the VF drivers (mlx4 on older Azure hosts).
  '^(hv_netvsc|hv_vmbus|hv_pci|pci-hyperv|mlx5_core|mlx4_core|mlx4_en|mana)[ :]',
  // hv_netvsc's VF messages, kept even when a log tool dropped the driver prefix.
  'data path (switched|failed to switch)',
  'vf (slot|registering|unregistering)',
  // Link flaps, as drivers and the IPv6 code print them.
  'link (is )?(up|down)',
  'link becomes ready',
  'link is not ready',
  // Transmit timeouts, and net_failover (the VF pairing of other clouds).
  'netdev watchdog',
  'failover',
];

const MATCHERS = DATAPATH_PATTERNS.map((p) => new RegExp(p));

// `<6>` (busybox, raw), `[ 4.678901]` or `[    4.678901][   T23]` (CONFIG_PRINTK_CALLER), then
// the message.
const PREFIX = /^(?:<\d{1,3}>)?(?:\[\s*(\d{1,10}(?:\.\d{1,9})?)\])?(?:\[\s*[TC]\d{1,10}\])?\s?/;

// The message part of a dmesg line, and its stamp (seconds since boot) when it has one.
export function splitStamp(line: string): { uptimeSec?: number; message: string } {
  const m = PREFIX.exec(line);
  const message = line.slice(m?.[0].length ?? 0);
  return m?.[1] === undefined ? { message } : { uptimeSec: Number(m[1]), message };
}

export function isDatapathMessage(message: string): boolean {
  const l = message.toLowerCase();
  return MATCHERS.some((r) => r.test(l));
}

// What a line says, coarse: the kinds a support engineer looks for first.
export type KernelLogKind =
  | 'vf-added'
  | 'vf-removed'
  | 'vf-registering'
  | 'vf-unregistering'
  | 'datapath-to-vf'
  | 'datapath-from-vf'
  | 'datapath-switch-failed'
  | 'link-up'
  | 'link-down'
  | 'tx-timeout'
  | 'health'
  | 'error'
  | 'driver';

// In order: the first that matches (on the message in lower case) wins. The format strings are
// drivers/net/hyperv/netvsc.c and netvsc_drv.c (`VF slot %u %s`, `VF registering: %s`, `VF
// unregistering: %s`, `Data path switched %s VF: %s`, `Data path failed to switch %s VF: %s, err:
// %d`) and drivers/net/ethernet/mellanox/mlx5/core/health.c (`device's health compromised -
// reached miss count`, `Fatal error %u detected`, `handling bad device here`, `starting health
// recovery flow`, `health recovery failed`, `assert_var[%d] 0x%08x`, `synd 0x%x: %s`).
const KINDS: ReadonlyArray<[KernelLogKind, RegExp]> = [
  ['vf-added', /\bvf slot \d+ added\b/],
  ['vf-removed', /\bvf slot \d+ removed\b/],
  ['vf-registering', /\bvf registering\b/],
  ['vf-unregistering', /\bvf unregistering\b/],
  ['datapath-switch-failed', /\bdata path failed to switch\b/],
  ['datapath-to-vf', /\bdata path switched to vf\b/],
  ['datapath-from-vf', /\bdata path switched from vf\b/],
  ['tx-timeout', /\bnetdev watchdog\b|\btx timeout\b|\btransmit queue \d+ timed out\b/],
  [
    'health',
    /\bhealth\b|\bfatal error\b|\bassert_(?:var|exit_ptr|callra)\b|\bsynd 0x|\b(?:sw|fw) reset\b|\binternal error\b/,
  ],
  ['link-down', /\blink (?:is )?down\b|\blink is not ready\b/],
  ['link-up', /\blink (?:is )?up\b|\blink becomes ready\b/],
  ['error', /\berr(?:or)?\b|\bfail(?:ed|ure)?\b|\btimed out\b|\btimeout\b|\bunable\b/],
];

export function kindOf(message: string): KernelLogKind {
  const l = message.toLowerCase();
  return KINDS.find(([, r]) => r.test(l))?.[0] ?? 'driver';
}

// netdev_printk() prints `<driver> <device> <netdev>: <message>` (`hv_netvsc 000d3a12-…
// eth0: VF registering: enP30832s1`); dev_printk() only `<driver> <device>: …`. The netdev is
// the interface that logged; the VF is the one its message names.
export function ifacesOf(message: string): { iface?: string; vf?: string } {
  const out: { iface?: string; vf?: string } = {};
  const m = /^\S+ \S*[^\s:] ([^\s:]{1,15}): /.exec(message);
  if (m && isValidIfaceName(m[1]!)) out.iface = m[1]!;
  const v = /\bVF(?: registering| unregistering)?: ([^\s,]{1,15})/i.exec(message);
  if (v && isValidIfaceName(v[1]!)) out.vf = v[1]!;
  return out;
}
