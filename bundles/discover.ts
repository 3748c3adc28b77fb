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
      parts.push(discoverFromImds(JSON.parse(imds)));
    } catch {
      // Not JSON (not queried, or cut): nothing to learn.
    }
  }
  return mergeDiscovered(...parts);
}
