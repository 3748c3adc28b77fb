import { discoverNames } from '../collectors/host-info.js';
import type { RawFile } from '../collectors/model.js';
import { type Discovered, discoverFromImds, mergeDiscovered } from './redact/index.js';

// What the redactor must find everywhere, learnt from the hosts themselves:
// names from hostname/hostname -f, /etc/hosts and resolv.conf search
// domains, IMDS names and IDs, the login users, and the host specs the
// operator typed (an FQDN on the command line is as sensitive as in a file).
export function discoverFromHost(
  raw: RawFile[],
  extra: { specHost?: string; user?: string },
): Discovered {
  const text = (p: string) => raw.find((r) => r.path === p)?.bytes.toString('utf8');
  const names = discoverNames({
    hostname: text('host/hostname.txt'),
    etcHosts: text('host/etc-hosts'),
    resolvConf: text('host/resolv.conf'),
  });
  const parts: Discovered[] = [
    {
      hostnames: [...names.hostnames, ...(extra.specHost ? [extra.specHost] : [])],
      fqdns: names.fqdns,
      domains: names.domains,
      users: extra.user && extra.user !== 'root' ? [extra.user] : [],
    },
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
