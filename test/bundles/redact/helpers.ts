import {
  createRedactor,
  type Discovered,
  discoverFromEtcHosts,
  discoverFromImds,
  discoverFromResolvConf,
  mergeDiscovered,
  type Redactor,
} from '../../../bundles/redact/index.js';
import { ETC_HOSTS, IMDS_INSTANCE, RESOLV_CONF } from './corpus.js';

export const SECRET_A = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
export const SECRET_B = Buffer.from('fedcba9876543210fedcba9876543210', 'hex');

// What the collectors would hand over for the corpus host, plus one address only known from
// discovery (its dashed spelling appears in a log) and a user keyword.
export function corpusDiscovered(): Discovered {
  return mergeDiscovered(
    discoverFromEtcHosts(ETC_HOSTS),
    discoverFromResolvConf(RESOLV_CONF),
    discoverFromImds(JSON.parse(IMDS_INSTANCE)),
    {
      hostnames: ['aks-nodepool1-12345678-vmss000000'],
      keywords: ['Contoso'],
      extra: [{ category: 'ipv4', value: '10.1.2.3' }],
    },
  );
}

export function corpusRedactor(secret: Buffer = SECRET_A): Redactor {
  return createRedactor({ secret, discovered: corpusDiscovered() });
}

// Start offsets of the non-blank runs of a line: the columns of a fixed-width table.
export function columnStarts(line: string): number[] {
  return [...line.matchAll(/\S+/g)].map((m) => m.index);
}
