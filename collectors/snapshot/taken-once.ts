import type { RawFile } from '../model.js';
import type { Section } from './frames.js';

// A reproduction's "after" snapshot need not read again what cannot change
// while the traffic runs: the distribution, the kernel, the CPUs, the PCI
// devices, the cloud's identity, the names, a NIC's driver, rings, channels,
// offloads and coalescing, and the RPS/XPS masks (nothing in a run changes
// them; `repro compare` changes a ring or a mask between runs, before that
// run's "before"). On a host with 100 pods, lspci alone was a fifth of the
// "after" snapshot's section time, and the masks (three sysfs reads per queue
// of every veth; xps_cpus takes the RTNL lock) 40 ms of its CPU. Every source
// that counts, and boot_id and uptime (a reboot resets the counters), is read
// again; so are the sysctls, whose values the fixes quote as they were at the
// end. Kept here rather than as a flag of the specs: only the run's second
// snapshot uses it.
export const TAKEN_ONCE: ReadonlySet<string> = new Set([
  'uname',
  'os_release',
  'hostname',
  'cpu',
  'etc_hosts',
  'resolv_conf',
  'cloud_identity',
  'lspci',
  'ethtool_i',
  'ethtool_g',
  'ethtool_l',
  'ethtool_k',
  'ethtool_c',
  'rps_xps',
]);

declare module '../model.js' {
  interface Snapshot {
    // The sources this snapshot did not run, read once in the "before"
    // snapshot of the same run: it parses their output as its own (so its
    // facts and drivers are complete), and its raw/ holds byte-exact copies
    // (so the directory still stands alone for `collect analyze`) and a list
    // of them (TAKEN_ONCE_PATH).
    takenOnce?: { from: 'before'; sources: Array<{ id: string; iface?: string; rawPath: string }> };
  }
}

export const TAKEN_ONCE_PATH = 'taken-once.txt';
// How the manifest names the source of a copied raw file.
export const TAKEN_ONCE_SOURCE = 'not run again, copied from the before snapshot';

// What a snapshot carries from an earlier one: that one's sections of the
// sources above which succeeded, rebuilt from its raw files (byte-exact, as
// accepted then). A failed one is run again. Per interface, by source id.
export function carriedSections(before: readonly RawFile[]): Section[] {
  return before
    .filter((f) => TAKEN_ONCE.has(f.record.id) && f.record.ok)
    .map((f) => ({
      id: f.record.id,
      ...(f.record.iface !== undefined ? { iface: f.record.iface } : {}),
      stdout: f.bytes,
      stderr: f.record.stderr ?? '',
      exitCode: f.record.exitCode,
      ...(f.record.durationMs !== undefined ? { durationMs: f.record.durationMs } : {}),
      truncated: false,
    }));
}

// The interfaces each carried per-interface source already covers: the
// script runs it on the others only (a NIC that appeared, a veth that began
// to drop during the run).
export function coveredInterfaces(carried: readonly Section[]): Map<string, Set<string>> {
  const covered = new Map<string, Set<string>>();
  for (const s of carried) {
    if (s.iface === undefined) continue;
    const set = covered.get(s.id) ?? new Set<string>();
    if (!set.size) covered.set(s.id, set);
    set.add(s.iface);
  }
  return covered;
}

// raw/taken-once.txt of the "after" snapshot: which sources were not run
// again, so raw/ says which of its files are copies.
export function takenOnceNote(
  sources: ReadonlyArray<{ id: string; iface?: string; rawPath: string }>,
): RawFile {
  const lines = [
    '# Not run again in this snapshot: these sources cannot change while the traffic runs,',
    '# so they were read once, in the "before" snapshot of the same run. Each <path> here is a',
    '# byte-exact copy of ../before/raw/<path>; snapshot.json lists them under "takenOnce".',
    '# source\tinterface\tpath',
    ...sources.map((s) => `${s.id}\t${s.iface ?? '-'}\t${s.rawPath}`),
    '',
  ];
  const bytes = Buffer.from(lines.join('\n'));
  return {
    path: TAKEN_ONCE_PATH,
    bytes,
    record: {
      id: 'taken_once',
      rawPath: TAKEN_ONCE_PATH,
      source: 'not run: the sources listed, read once in the before snapshot',
      exitCode: 0,
      ok: true,
      bytes: bytes.length,
    },
  };
}
