import { intoInterface } from './contribution.js';
import { isEthtoolErrorLine } from './ethtool-error.js';
import { hasOwn, setOwn } from './own-record.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { quote, splitLines } from './text-lines.js';

// `ethtool -i`: fixed `key: value` lines. Values can be empty, with or without the space after
// the colon (`firmware-version: ` in the ena fixture, `bus-info:` in hv_netvsc).
export interface EthtoolDriver {
  driver?: string;
  version?: string;
  firmwareVersion?: string;
  expansionRomVersion?: string;
  busInfo?: string;
  // `supports-statistics: yes` -> supports.statistics = true.
  supports: Record<string, boolean>;
  // Every key as printed, including the ones above.
  fields: Record<string, string>;
  supported: boolean;
}

const TYPED = {
  driver: 'driver',
  version: 'version',
  'firmware-version': 'firmwareVersion',
  'expansion-rom-version': 'expansionRomVersion',
  'bus-info': 'busInfo',
} as const;

// Split on the FIRST colon: bus-info values contain colons (`0000:00:05.0`), keys never do.
const KEY_VALUE = /^([^:]+):(.*)$/;

export function parseEthtoolDriver(text: string): ParseResult<EthtoolDriver> {
  const warnings = new WarningList();
  const info: EthtoolDriver = { supports: {}, fields: {}, supported: true };
  let errorSeen = false;

  splitLines(text).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const m = KEY_VALUE.exec(t);
    const key = m?.[1]?.trim() ?? '';
    if (m === null || key === '' || /\s{2,}|\t/.test(key) || isEthtoolErrorLine(t)) {
      if (isEthtoolErrorLine(t)) errorSeen = true;
      warnings.add(`line ${i + 1}: not a "key: value" line: ${quote(line)}`);
      return;
    }
    const value = m[2]?.trim() ?? '';
    if (hasOwn(info.fields, key)) warnings.add(`line ${i + 1}: key ${quote(key)} repeated`);
    setOwn(info.fields, key, value);
    if (hasOwn(TYPED, key)) info[TYPED[key as keyof typeof TYPED]] = value;
    const flag = /^supports-(.+)$/.exec(key)?.[1];
    if (flag !== undefined && (value === 'yes' || value === 'no')) {
      setOwn(info.supports, flag, value === 'yes');
    }
  });

  if (Object.keys(info.fields).length === 0) {
    if (errorSeen) info.supported = false;
    else warnings.add('no driver information found');
  }
  return { value: info, warnings: warnings.done() };
}

export const ethtoolDriverCollector: CollectorSpec = {
  id: 'ethtool_i',
  description: 'driver, version, firmware and bus info (ethtool -i)',
  source: { kind: 'command', argv: ['ethtool', '-i', '{iface}'] },
  scope: 'per-interface',
  tool: 'ethtool',
  skipLoopback: true,
  softwareOnlyWithDrops: true,
  rawPath: 'ethtool/{iface}/ethtool-i.txt',
  sos: ['sos_commands/networking/ethtool_-i_{iface}'],
  // The driver's identity; snapshot/interfaces.ts falls back to sysfs for the driver's name.
  model: intoInterface(parseEthtoolDriver, (drv, i) => {
    if (drv.driver) i.driver = drv.driver;
    if (drv.version) i.driverVersion = drv.version;
    if (drv.firmwareVersion) i.firmware = drv.firmwareVersion;
    if (drv.busInfo) i.busInfo = drv.busInfo;
  }),
};
