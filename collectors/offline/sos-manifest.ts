import type { ParseResult } from '../parse-result.js';

// When a sos report read its counters, from its own record: sos 4.x writes
// sos_reports/manifest.json with the report's `start_time`/`end_time` and
// the same pair per plugin, as Python's str(datetime.now()):
// "2026-12-07 06:41:16.334780", the host's local time with no zone. The
// `networking` plugin is the one that runs ip link and ethtool and copies
// /proc/net, so its times are used when present (other plugins run before
// or beside it), else the report's. The file mtimes of a report are when it
// was unpacked or copied, not when it was taken. Pure; never throws.

export const SOS_MANIFEST = 'sos_reports/manifest.json';

export interface SosTime {
  // ISO 8601 without a zone (the host's local time), to the millisecond.
  takenAt: string;
  durationMs: number;
  // Which record it came from: "networking plugin" or "report".
  from: string;
}

const SOS_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/;

// "2026-12-07 06:41:16.334780" as "2026-12-07T06:41:16.334", or undefined.
export function sosTimeText(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = SOS_TIME.exec(v.trim());
  if (!m) return undefined;
  const iso = `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}`;
  // A calendar date that does not exist (2026-02-31) is no time at all.
  const ms = Date.parse(`${iso}Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 23) === iso ? iso : undefined;
}

type Times = { start_time?: unknown; end_time?: unknown };

function timesOf(t: Times | undefined, from: string): SosTime | undefined {
  const start = sosTimeText(t?.start_time);
  if (!start) return undefined;
  const end = sosTimeText(t?.end_time);
  const ms = end ? Date.parse(`${end}Z`) - Date.parse(`${start}Z`) : 0;
  return { takenAt: start, durationMs: Math.max(0, ms), from };
}

export function parseSosManifest(bytes: Buffer): ParseResult<SosTime | undefined> {
  let j: unknown;
  try {
    j = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { value: undefined, warnings: [`${SOS_MANIFEST}: not JSON: its times are not used`] };
  }
  if (!j || typeof j !== 'object')
    return { value: undefined, warnings: [`${SOS_MANIFEST}: not an object`] };
  const top = j as Times & { components?: unknown };
  const report = (top.components as { report?: unknown } | undefined)?.report;
  const plugins = (report as { plugins?: unknown } | undefined)?.plugins;
  // Own properties only: every name in it comes from the report's sender.
  const networking =
    plugins && typeof plugins === 'object' && Object.hasOwn(plugins, 'networking')
      ? ((plugins as Record<string, unknown>).networking as Times)
      : undefined;
  const value =
    timesOf(typeof networking === 'object' ? networking : undefined, 'networking plugin') ??
    timesOf(top, 'report');
  return value
    ? { value, warnings: [] }
    : { value, warnings: [`${SOS_MANIFEST}: no start_time sos writes: its times are not used`] };
}
