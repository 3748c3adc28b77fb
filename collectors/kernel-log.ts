import { intoSnapshot } from './contribution.js';
import {
  DATAPATH_PATTERNS,
  ifacesOf,
  isDatapathMessage,
  type KernelLogKind,
  kindOf,
  splitStamp,
} from './kernel-log-lines.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { quote, splitLines } from './text-lines.js';

// The kernel log lines about the datapath (kernel-log-lines.ts): the VF added and removed,
// VF registering and unregistering, "Data path switched", mlx5/mana health and errors,
// hv_netvsc, link flaps, TX timeouts. The ring buffer is read, never cleared (plain `dmesg`,
// never -c or -C), and filtered on the host: the rest of the kernel log has nothing to do
// with the case and stays there. The last MAX_LINES matching lines are kept, each cut at
// MAX_LINE_BYTES: at most ~256 KB.
//
// dmesg's `[seconds]` stamps count from boot on the host. The script reads /proc/uptime and the
// host's clock together first (`# clock uptime=… realtime=…`), so each line gets a UTC time on
// the host's clock: boot = realtime - uptime, within 10 ms (uptime's resolution). printk's clock
// does not count a suspend, and drifts a little from the wall clock: the older a line, the less
// exact its time. A repro bundle moves the times onto the operator's axis with the host's
// measured offset.
//
// kernel.dmesg_restrict=1 (the default on many distributions) makes dmesg fail without root:
// the script then tries `sudo -n dmesg`, and when that is refused too the source is not
// collected, with dmesg's own message.

export const MAX_LINES = 500;
export const MAX_LINE_BYTES = 512;

export interface KernelLogLine {
  // dmesg's stamp, seconds since boot; absent when the kernel prints none (printk.time=0).
  uptimeSec?: number;
  // The stamp on the host's clock, ISO-8601 UTC; absent without a stamp or a clock reading.
  time?: string;
  kind: KernelLogKind;
  // The interface that logged (netdev_printk), and the VF its message names.
  iface?: string;
  vf?: string;
  // The line as dmesg printed it.
  line: string;
}

export interface KernelLog {
  // The host's clock at boot, milliseconds since the epoch: the script's realtime minus its
  // uptime.
  bootMs?: number;
  // Lines about the datapath the host found; more than `lines` when the cap cut the oldest.
  matched: number;
  lines: KernelLogLine[];
}

// `# clock uptime=812.25 realtime=1796610847.123456`: bash's $EPOCHREALTIME (its decimal
// point is the locale's) or `date +%s.%N` (busybox may print %N as is: whole seconds then).
function readClock(line: string): number | undefined {
  const up = /\buptime=(\d{1,10}(?:\.\d{1,9})?)(?:\s|$)/.exec(line);
  const rt = /\brealtime=(\d{9,12})(?:[.,](\d{1,9}))?/.exec(line);
  if (!up || !rt) return undefined;
  const realMs = Number(rt[1]) * 1000 + (rt[2] ? Number(`0.${rt[2]}`) * 1000 : 0);
  return realMs - Number(up[1]) * 1000;
}

export function parseKernelLog(text: string): ParseResult<KernelLog> {
  const warnings = new WarningList();
  let bootMs: number | undefined;
  let matched: number | undefined;
  const lines: KernelLogLine[] = [];
  splitLines(text).forEach((raw, i) => {
    if (raw.startsWith('# clock ')) {
      bootMs = readClock(raw);
      if (bootMs === undefined) warnings.add(`line ${i + 1}: no clock reading: ${quote(raw)}`);
      return;
    }
    const kept = /^# dropkit: kept the last \d+ of (\d{1,12}) matching lines$/.exec(raw);
    if (kept) {
      matched = Number(kept[1]);
      return;
    }
    if (raw.trim() === '') return;
    const { uptimeSec, message } = splitStamp(raw);
    // The host filtered already; a sos report's or a copied dmesg did not.
    if (!isDatapathMessage(message)) return;
    const line: KernelLogLine = {
      ...(uptimeSec === undefined ? {} : { uptimeSec }),
      kind: kindOf(message),
      ...ifacesOf(message),
      line: raw.length > MAX_LINE_BYTES ? raw.slice(0, MAX_LINE_BYTES) : raw,
    };
    lines.push(line);
  });
  const last = lines.slice(-MAX_LINES);
  if (bootMs !== undefined) {
    for (const l of last) {
      if (l.uptimeSec === undefined) continue;
      const d = new Date(bootMs + l.uptimeSec * 1000);
      if (!Number.isNaN(d.getTime())) l.time = d.toISOString();
    }
  }
  return {
    value: {
      ...(bootMs === undefined ? {} : { bootMs }),
      matched: Math.max(matched ?? 0, lines.length),
      lines: last,
    },
    warnings: warnings.done(),
  };
}

// The host-side filter: awk over dmesg, with the message in lower case against the patterns
// (one fork for dmesg, one for awk, whatever the log's size). A ring of the last N lines keeps
// memory bounded; LC_ALL=C makes substr() cut bytes. A marker line carries dmesg's failure, and
// its exit code, through the pipe.
export function awkFilter(): string {
  const re = DATAPATH_PATTERNS.map((p) => `(${p})`).join('|');
  return [
    '/^dropkit-dmesg-failed [0-9]+$/ { f = $2 + 0; if (!f) f = 1; exit }',
    '{ s = $0; sub(/^<[0-9]+>/, "", s); sub(/^\\[[^]]*\\]/, "", s); sub(/^\\[ *[TC][0-9]+\\]/, "", s); sub(/^ /, "", s)',
    `  if (tolower(s) ~ /${re}/) { m++; b[m % N] = substr($0, 1, W) } }`,
    'END { if (f) exit f; k = m < N ? m : N',
    '  if (m > N) printf "# dropkit: kept the last %d of %d matching lines\\n", N, m',
    '  for (i = m - k + 1; i <= m; i++) print b[i % N] }',
  ].join('\n');
}

export function kernelLogScript(): string {
  return [
    // The shell's own read and clock where it has one ($EPOCHREALTIME: bash 5).
    "u=''; { read -r u _ < /proc/uptime; } 2>/dev/null",
    `t=\${EPOCHREALTIME:-}; [ -n "$t" ] || t=$(date +%s.%N 2>/dev/null)`,
    `printf '# clock uptime=%s realtime=%s\\n' "$u" "$t"`,
    '{ dmesg 2>/dev/null || sudo -n dmesg 2>/dev/null || { dmesg; echo "dropkit-dmesg-failed $?"; }; } |',
    `  LC_ALL=C awk -v N=${MAX_LINES} -v W=${MAX_LINE_BYTES} '${awkFilter()}'`,
  ].join('\n');
}

declare module './model.js' {
  interface Snapshot {
    // Kernel log lines about the datapath (kernel-log.ts); absent when not collected.
    kernelLog?: KernelLog;
  }
}

export const kernelLogCollector: CollectorSpec = {
  id: 'kernel_log',
  description:
    'kernel log lines about the datapath: VF add/remove, data path switch, mlx5/mana health, link flaps (dmesg, filtered on the host; never cleared)',
  source: { kind: 'shell', sh: kernelLogScript() },
  scope: 'global',
  tool: 'dmesg',
  rawPath: 'kernel/dmesg-datapath.txt',
  explain: (stderr) =>
    /read kernel buffer failed|Operation not permitted/i.test(stderr)
      ? 'permission denied: kernel.dmesg_restrict is on and sudo -n dmesg was refused'
      : undefined,
  model: intoSnapshot(parseKernelLog, (log, d) => {
    d.fields.kernelLog = log;
  }),
};
