import { intoInterface } from './contribution.js';
import { parseEthtoolCount, readEthtoolSections } from './ethtool-sections.js';
import { setOwn } from './own-record.js';
import type { ParseResult } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { quote } from './text-lines.js';

// One column of `ethtool -g`. A field is absent when this ethtool did not print it, and null when
// it printed `n/a`.
export interface RingSizes {
  rx?: number | null;
  rxMini?: number | null;
  rxJumbo?: number | null;
  tx?: number | null;
  // Netlink-era ethtool (5.x/6.x) adds these (eno2 zeek-sensor fixture).
  rxBufLen?: number | null;
  cqeSize?: number | null;
  txPushBufLen?: number | null;
  txPush?: boolean | null;
  rxPush?: boolean | null;
  tcpDataSplit?: string | null;
}

export interface EthtoolRing {
  iface?: string;
  // False when ethtool printed only an error (`Cannot get device ring settings`).
  supported: boolean;
  max: RingSizes;
  current: RingSizes;
  // Fields this parser does not know yet, keyed `max.<Key>` / `current.<Key>` as printed.
  extra: Record<string, string>;
}

type NumericField = 'rx' | 'rxMini' | 'rxJumbo' | 'tx' | 'rxBufLen' | 'cqeSize' | 'txPushBufLen';
type BooleanField = 'txPush' | 'rxPush';

const NUMERIC: Record<string, NumericField> = {
  rx: 'rx',
  'rx mini': 'rxMini',
  'rx jumbo': 'rxJumbo',
  tx: 'tx',
  'rx buf len': 'rxBufLen',
  'cqe size': 'cqeSize',
  'tx push buff len': 'txPushBufLen',
};
const BOOLEAN: Record<string, BooleanField> = { 'tx push': 'txPush', 'rx push': 'rxPush' };

export function parseEthtoolRing(text: string): ParseResult<EthtoolRing> {
  const { iface, fields, errorSeen, warnings } = readEthtoolSections(text);
  const ring: EthtoolRing = { supported: true, max: {}, current: {}, extra: {} };
  if (iface !== undefined) ring.iface = iface;

  for (const { section, key, value } of fields) {
    const stored = storeTyped(ring[section], key.toLowerCase(), value);
    if (stored === 'typed') continue;
    if (stored === 'bad-value') {
      warnings.add(`unexpected value for ${section} ${JSON.stringify(key)}: ${quote(value)}`);
    }
    // Unknown fields (and known ones with odd values) are kept as printed.
    setOwn(ring.extra, `${section}.${key}`, value);
  }

  if (errorSeen && fields.length === 0) ring.supported = false;
  else if (fields.length === 0) warnings.add('no ring parameters found');
  return { value: ring, warnings: warnings.done() };
}

function storeTyped(
  target: RingSizes,
  name: string,
  value: string,
): 'typed' | 'bad-value' | 'unknown' {
  if (Object.hasOwn(NUMERIC, name)) {
    const field = NUMERIC[name];
    const n = parseEthtoolCount(value);
    if (field === undefined || n === undefined) return 'bad-value';
    target[field] = n;
    return 'typed';
  }
  if (Object.hasOwn(BOOLEAN, name)) {
    const field = BOOLEAN[name];
    const b = parseOnOff(value);
    if (field === undefined || b === undefined) return 'bad-value';
    target[field] = b;
    return 'typed';
  }
  if (name === 'tcp data split') {
    // `on`, `off`, `auto`, `unknown` or `n/a` depending on driver and ethtool version.
    target.tcpDataSplit = value.toLowerCase() === 'n/a' ? null : value;
    return 'typed';
  }
  return 'unknown';
}

function parseOnOff(value: string): boolean | null | undefined {
  const v = value.toLowerCase();
  if (v === 'on') return true;
  if (v === 'off') return false;
  return v === 'n/a' ? null : undefined;
}

export const ethtoolRingCollector: CollectorSpec = {
  id: 'ethtool_g',
  description: 'RX/TX ring sizes, current and preset maximum (ethtool -g)',
  source: { kind: 'command', argv: ['ethtool', '-g', '{iface}'] },
  scope: 'per-interface',
  tool: 'ethtool',
  skipLoopback: true,
  devicesOnly: true,
  rawPath: 'ethtool/{iface}/ethtool-g.txt',
  sos: ['sos_commands/networking/ethtool_-g_{iface}'],
  model: intoInterface(parseEthtoolRing, (r, i) => {
    if (!r.supported) return;
    i.ring = {
      rx: r.current.rx ?? null,
      rxMax: r.max.rx ?? null,
      tx: r.current.tx ?? null,
      txMax: r.max.tx ?? null,
    };
  }),
};
