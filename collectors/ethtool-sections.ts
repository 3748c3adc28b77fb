import { isEthtoolErrorLine } from './ethtool-error.js';
import { WarningList } from './parse-result.js';
import { quote, splitLines } from './text-lines.js';

// `ethtool -g` and `ethtool -l` share one layout:
//   Ring parameters for ens5:          (or `Channel parameters for eth0:`)
//   Pre-set maximums:
//   RX:\t\t16384                       (tabs, or spaces where an author retyped it)
//   Current hardware settings:
//   RX:\t\t1024
// This reads that layout into raw key/value pairs; ethtool-ring.ts and ethtool-channels.ts type
// them.
export type EthtoolSection = 'max' | 'current';

export interface EthtoolField {
  section: EthtoolSection;
  key: string;
  value: string;
}

export interface EthtoolSections {
  iface?: string;
  fields: EthtoolField[];
  errorSeen: boolean;
  warnings: WarningList;
}

const TITLE = /^\S.* parameters for (.+):$/;
const KEY_VALUE = /^([^:]+):\s*(.*)$/;

export function readEthtoolSections(text: string): EthtoolSections {
  const warnings = new WarningList();
  const fields: EthtoolField[] = [];
  let iface: string | undefined;
  let section: EthtoolSection | undefined;
  let errorSeen = false;

  splitLines(text).forEach((line, i) => {
    const t = line.trim();
    if (t === '') return;
    const title = TITLE.exec(t);
    if (title?.[1] !== undefined) {
      iface = title[1];
      return;
    }
    if (/^pre-set maximums:$/i.test(t)) section = 'max';
    else if (/^current hardware settings:$/i.test(t)) section = 'current';
    else if (isEthtoolErrorLine(t)) {
      errorSeen = true;
      warnings.add(`line ${i + 1}: ethtool error: ${quote(t)}`);
    } else {
      const m = KEY_VALUE.exec(t);
      const key = m?.[1]?.trim();
      if (m === null || key === undefined || section === undefined) {
        warnings.add(`line ${i + 1}: unrecognised line: ${quote(line)}`);
      } else {
        fields.push({ section, key, value: m[2]?.trim() ?? '' });
      }
    }
  });

  const result: EthtoolSections = { fields, errorSeen, warnings };
  if (iface !== undefined) result.iface = iface;
  return result;
}

// Ring and channel counts: a number, or `n/a` when the driver does not report it. Older ethtool
// printed 0 instead of n/a; that 0 is kept as 0 (the raw output stays in the bundle).
export function parseEthtoolCount(value: string): number | null | undefined {
  if (value.toLowerCase() === 'n/a') return null;
  const m = /^[0-9]{1,15}$/.exec(value);
  return m === null ? undefined : Number(value);
}
