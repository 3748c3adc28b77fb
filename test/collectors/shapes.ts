import { U64_MAX } from '../../collectors/counter.js';
import type { EthtoolChannels } from '../../collectors/ethtool-channels.js';
import type { EthtoolDriver } from '../../collectors/ethtool-driver.js';
import type { EthtoolRing } from '../../collectors/ethtool-ring.js';
import type { EthtoolStats } from '../../collectors/ethtool-stats.js';
import type { IpLink } from '../../collectors/ip-link.js';
import { MAX_WARNINGS, type ParseResult } from '../../collectors/parse-result.js';
import type { ProcNetDev } from '../../collectors/proc-net-dev.js';
import type { SoftnetStat } from '../../collectors/softnet-stat.js';
import type { SysfsStats } from '../../collectors/sysfs-stats.js';

// Runtime checks of the declared output types, for the fuzz test: a parser that returns
// `undefined` where it promised a bigint is as broken as one that throws.
type Check = (v: unknown) => boolean;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr: Check = (v) => typeof v === 'string';
const isBool: Check = (v) => typeof v === 'boolean';
const isU64: Check = (v) => typeof v === 'bigint' && v >= 0n && v <= U64_MAX;
const isU32: Check = (v) => typeof v === 'bigint' && v >= 0n && v <= 0xffffffffn;
const isCount: Check = (v) => v === null || (Number.isSafeInteger(v) && (v as number) >= 0);
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const recordOf =
  (check: Check): Check =>
  (v) =>
    isObj(v) && Object.values(v).every(check);
const arrayOf =
  (check: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(check);
const fields =
  (spec: Record<string, Check>): Check =>
  (v) =>
    isObj(v) &&
    Object.entries(spec).every(([k, check]) => check(Object.hasOwn(v, k) ? v[k] : undefined));

export function isParseResult(r: ParseResult<unknown>, value: Check): boolean {
  return arrayOf(isStr)(r.warnings) && r.warnings.length <= MAX_WARNINGS + 1 && value(r.value);
}

export const isSoftnetStat: (v: unknown) => v is SoftnetStat = (v): v is SoftnetStat =>
  fields({
    elided: isBool,
    rows: arrayOf(
      fields({
        cpu: (c) => Number.isSafeInteger(c) && (c as number) >= 0,
        cpuFromIndexColumn: isBool,
        processed: isU32,
        dropped: isU32,
        timeSqueeze: isU32,
        receivedRps: optional(isU32),
        flowLimitCount: optional(isU32),
        backlogLen: optional(isU32),
        inputQlen: optional(isU32),
        processQlen: optional(isU32),
        columns: (c) => Number.isInteger(c) && (c as number) >= 9,
      }),
    ),
  })(v);

export const isEthtoolStats = (v: unknown): v is EthtoolStats =>
  fields({
    entries: arrayOf(fields({ key: isStr, value: isU64, section: optional(isStr) })),
    stats: recordOf(isU64),
    elided: isBool,
    supported: isBool,
  })(v) && (v as EthtoolStats).entries.length === Object.keys((v as EthtoolStats).stats).length;

const ringSizes = fields({
  rx: optional(isCount),
  rxMini: optional(isCount),
  rxJumbo: optional(isCount),
  tx: optional(isCount),
  rxBufLen: optional(isCount),
  cqeSize: optional(isCount),
  txPushBufLen: optional(isCount),
  txPush: optional((b) => b === null || isBool(b)),
  rxPush: optional((b) => b === null || isBool(b)),
  tcpDataSplit: optional((s) => s === null || isStr(s)),
});

export const isEthtoolRing = (v: unknown): v is EthtoolRing =>
  fields({
    iface: optional(isStr),
    supported: isBool,
    max: ringSizes,
    current: ringSizes,
    extra: recordOf(isStr),
  })(v);

const channelCounts = fields({
  rx: optional(isCount),
  tx: optional(isCount),
  other: optional(isCount),
  combined: optional(isCount),
});

export const isEthtoolChannels = (v: unknown): v is EthtoolChannels =>
  fields({
    iface: optional(isStr),
    supported: isBool,
    max: channelCounts,
    current: channelCounts,
    extra: recordOf(isStr),
  })(v);

export const isEthtoolDriver = (v: unknown): v is EthtoolDriver =>
  fields({
    driver: optional(isStr),
    version: optional(isStr),
    firmwareVersion: optional(isStr),
    expansionRomVersion: optional(isStr),
    busInfo: optional(isStr),
    supports: recordOf(isBool),
    fields: recordOf(isStr),
    supported: isBool,
  })(v);

export const isIpLink = (v: unknown): v is IpLink =>
  fields({
    interfaces: arrayOf(
      fields({
        ifindex: Number.isSafeInteger,
        name: isStr,
        peer: optional(isStr),
        flags: arrayOf(isStr),
        mtu: (m) => m === null || typeof m === 'number',
        qdisc: optional(isStr),
        master: optional(isStr),
        state: optional(isStr),
        linkType: optional(isStr),
        mac: optional(isStr),
        address: optional(isStr),
        broadcast: optional(isStr),
        attrs: recordOf(isStr),
        altnames: arrayOf(isStr),
        details: arrayOf(isStr),
        stats: recordOf(isU64),
      }),
    ),
  })(v);

export const isProcNetDev = (v: unknown): v is ProcNetDev =>
  fields({ interfaces: arrayOf(fields({ name: isStr, counters: recordOf(isU64) })) })(v);

export const isSysfsStats = (v: unknown): v is SysfsStats =>
  recordOf(fields({ counters: recordOf(isU64), attrs: recordOf(isStr) }))(v);

export const isSysctls = (v: unknown): v is Record<string, string> => recordOf(isStr)(v);

export const isSnmp = (v: unknown): v is Record<string, Record<string, bigint>> =>
  recordOf(recordOf(isU64))(v);
