import { parseEthtoolChannels } from '../../collectors/ethtool-channels.js';
import { parseEthtoolDriver } from '../../collectors/ethtool-driver.js';
import { parseEthtoolRing } from '../../collectors/ethtool-ring.js';
import { parseEthtoolStats } from '../../collectors/ethtool-stats.js';
import { parseIpLink, parseIpLinkJson } from '../../collectors/ip-link.js';
import { parseKernelLog } from '../../collectors/kernel-log.js';
import { parseSysctl } from '../../collectors/kv-sysctl.js';
import { parseLspci } from '../../collectors/lspci.js';
import type { ParseResult } from '../../collectors/parse-result.js';
import { parseProcNetDev } from '../../collectors/proc-net-dev.js';
import { parseProcNetSnmp } from '../../collectors/proc-net-snmp.js';
import { parseProcStatCpus } from '../../collectors/proc-stat.js';
import { parseRpsXps } from '../../collectors/rps-xps.js';
import { parseSoftnetStat } from '../../collectors/softnet-stat.js';
import { parseSysfsStats } from '../../collectors/sysfs-stats.js';
import {
  isEthtoolChannels,
  isEthtoolDriver,
  isEthtoolRing,
  isEthtoolStats,
  isIpLink,
  isProcNetDev,
  isSnmp,
  isSoftnetStat,
  isSysctls,
  isSysfsStats,
} from './shapes.js';

export interface ParserCase {
  name: string;
  parse: (text: string) => ParseResult<unknown>;
  isValue: (v: unknown) => boolean;
}

// Every parser in collectors/, with the runtime check of its declared output type.
export const PARSERS: ParserCase[] = [
  { name: 'softnet_stat', parse: parseSoftnetStat, isValue: isSoftnetStat },
  { name: 'ethtool -S', parse: parseEthtoolStats, isValue: isEthtoolStats },
  { name: 'ethtool -g', parse: parseEthtoolRing, isValue: isEthtoolRing },
  { name: 'ethtool -l', parse: parseEthtoolChannels, isValue: isEthtoolChannels },
  { name: 'ethtool -i', parse: parseEthtoolDriver, isValue: isEthtoolDriver },
  { name: 'ip -s link', parse: parseIpLink, isValue: isIpLink },
  { name: 'ip -s -j link', parse: parseIpLinkJson, isValue: isIpLink },
  { name: '/proc/net/dev', parse: parseProcNetDev, isValue: isProcNetDev },
  { name: 'sysfs stats', parse: parseSysfsStats, isValue: isSysfsStats },
  { name: 'sysctl', parse: parseSysctl, isValue: isSysctls },
  { name: '/proc/net/snmp', parse: parseProcNetSnmp, isValue: isSnmp },
  {
    name: '/proc/stat cpus',
    parse: parseProcStatCpus,
    isValue: (v) =>
      Array.isArray(v) &&
      v.every((r) => Number.isInteger(r?.cpu) && (r.steal ?? 0n) >= 0n && (r.softirq ?? 0n) >= 0n),
  },
  {
    name: 'kernel log',
    parse: parseKernelLog,
    isValue: (v) => {
      const k = v as { matched?: unknown; lines?: unknown };
      return (
        typeof k?.matched === 'number' &&
        Array.isArray(k.lines) &&
        k.lines.every((l) => typeof l?.line === 'string' && typeof l?.kind === 'string')
      );
    },
  },
  {
    name: 'lspci -nnk',
    parse: parseLspci,
    isValue: (v) =>
      Array.isArray(v) &&
      v.every((n) => typeof n?.slot === 'string' && n.classCode.startsWith('02')),
  },
  {
    name: 'rps/xps masks',
    parse: parseRpsXps,
    isValue: (v) =>
      Array.isArray(v) &&
      v.every((q) => typeof q?.iface === 'string' && /^(rx|tx)-\d+$/.test(q?.queue)),
  },
];
