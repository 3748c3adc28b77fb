import { intoInterface } from './contribution.js';
import { parseEthtoolCount, readEthtoolSections } from './ethtool-sections.js';
import { getOwn, setOwn } from './own-record.js';
import type { ParseResult } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { quote } from './text-lines.js';

// One column of `ethtool -l`: absent when not printed, null for `n/a`.
export interface ChannelCounts {
  rx?: number | null;
  tx?: number | null;
  other?: number | null;
  combined?: number | null;
}

export interface EthtoolChannels {
  iface?: string;
  // False for `Cannot get device channel parameters` / `: Operation not supported`
  // (ethtool_l error fixture: drivers without .get_channels).
  supported: boolean;
  max: ChannelCounts;
  current: ChannelCounts;
  extra: Record<string, string>;
}

const FIELDS: Record<string, keyof ChannelCounts> = {
  rx: 'rx',
  tx: 'tx',
  other: 'other',
  combined: 'combined',
};

export function parseEthtoolChannels(text: string): ParseResult<EthtoolChannels> {
  const { iface, fields, errorSeen, warnings } = readEthtoolSections(text);
  const channels: EthtoolChannels = { supported: true, max: {}, current: {}, extra: {} };
  if (iface !== undefined) channels.iface = iface;

  for (const { section, key, value } of fields) {
    const name = key.toLowerCase();
    const field = getOwn(FIELDS, name);
    const n = field === undefined ? undefined : parseEthtoolCount(value);
    if (field !== undefined && n !== undefined) {
      channels[section][field] = n;
      continue;
    }
    if (field !== undefined) {
      warnings.add(`unexpected value for ${section} ${JSON.stringify(key)}: ${quote(value)}`);
    }
    setOwn(channels.extra, `${section}.${key}`, value);
  }

  if (errorSeen && fields.length === 0) channels.supported = false;
  else if (fields.length === 0) warnings.add('no channel parameters found');
  return { value: channels, warnings: warnings.done() };
}

export const ethtoolChannelsCollector: CollectorSpec = {
  id: 'ethtool_l',
  description: 'queue (channel) counts (ethtool -l)',
  source: { kind: 'command', argv: ['ethtool', '-l', '{iface}'] },
  scope: 'per-interface',
  tool: 'ethtool',
  skipLoopback: true,
  devicesOnly: true,
  rawPath: 'ethtool/{iface}/ethtool-l.txt',
  sos: ['sos_commands/networking/ethtool_-l_{iface}'],
  model: intoInterface(parseEthtoolChannels, (c, i) => {
    if (c.supported) i.channels = c;
  }),
};
