import { readCloudDoc } from '../collectors/cloud-doc.js';
import { quoteLargeIntegers } from '../collectors/json-bigint.js';
import type { RawFile } from '../collectors/model.js';
import { partsOfSpec } from '../kit/ssh/host-spec.js';
import {
  type Discovered,
  discoverFromEtcHosts,
  discoverFromImds,
  discoverFromResolvConf,
  mergeDiscovered,
} from './redact/index.js';

// What the redactor must find everywhere, learnt from the hosts themselves:
// names from hostname/hostname -f, /etc/hosts and resolv.conf search
// domains, IMDS names and IDs, the login users, and the host specs the
// operator typed (an FQDN on the command line is as sensitive as in a file).
export function discoverFromHost(
  raw: RawFile[],
  extra: { spec?: string; user?: string },
): Discovered {
  const text = (p: string) => raw.find((r) => r.path === p)?.bytes.toString('utf8');
  // hostname.txt: `uname -n`, then `hostname -f`. The keep rules (localhost,
  // ip6-*) and the host/domain split are the redactor's, for every source.
  const own = (text('host/hostname.txt') ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const typed = extra.spec ? partsOfSpec(extra.spec) : undefined;
  const users = [extra.user, typed?.user].filter((u): u is string => !!u && u !== 'root');
  const parts: Discovered[] = [
    { hostnames: [...own, ...(typed ? [typed.host] : [])], users },
    discoverFromEtcHosts(text('host/etc-hosts') ?? ''),
    discoverFromResolvConf(text('host/resolv.conf') ?? ''),
  ];
  const imds = text('host/cloud-identity.json');
  if (imds) {
    try {
      parts.push(discoverFromCloud(JSON.parse(quoteLargeIntegers(imds))));
    } catch {
      // Not JSON (not queried, or cut): nothing to learn.
    }
  }
  return mergeDiscovered(...parts);
}

// Azure's whole instance document (osProfile, tags, every NIC); AWS's and
// GCP's documents are only the curated fields: their names and IDs.
function discoverFromCloud(doc: unknown): Discovered {
  const d = readCloudDoc(doc);
  if (!d || d.provider === 'azure') return discoverFromImds(doc);
  return {
    extra: d.fields
      .filter((f) => f.kind !== 'plain')
      .map((f) => ({ category: f.kind === 'guid' ? 'guid' : 'azure-name', value: f.value })),
  };
}
