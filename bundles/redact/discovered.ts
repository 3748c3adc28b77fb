import type { SensitiveValue } from './categories.js';
import { parseIPv4 } from './ipv4.js';

// What the collectors found out about the host before redaction: names from `hostname`,
// `hostname -f`, /etc/hosts, resolv.conf search domains and IMDS, plus user keywords.
export interface Discovered {
  readonly hostnames?: readonly string[];
  readonly fqdns?: readonly string[];
  readonly domains?: readonly string[];
  readonly users?: readonly string[];
  readonly keywords?: readonly string[];
  readonly extra?: readonly SensitiveValue[];
}

// AWS host names spell their private address: `ip-10-1-2-3` means 10.1.2.3 is sensitive even if
// no collector printed it.
const DASHED_IN_NAME =
  /(?:^|[^0-9A-Za-z])(?:ip|ec2)-(\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3})(?![0-9A-Za-z])/i;

// A name with dots is split: the first label is the host, the rest its domain. Each part is then
// replaced on its own, so `vm01` and `vm01.corp.example` share the host token.
function splitName(name: string, out: SensitiveValue[]): void {
  const n = name.trim().replace(/\.$/, '');
  if (n === '') return;
  if (parseIPv4(n)?.separator === '.') {
    out.push({ category: 'ipv4', value: n });
    return;
  }
  const dot = n.indexOf('.');
  out.push({ category: 'hostname', value: dot < 0 ? n : n.slice(0, dot) });
  if (dot > 0) out.push({ category: 'domain', value: n.slice(dot + 1) });
  const ip = DASHED_IN_NAME.exec(n);
  if (ip) out.push({ category: 'ipv4', value: ip[1]! });
}

// Raw values; `normaliseSensitive` then applies the keep rules and canonical spellings.
export function discoveredValues(d: Discovered): SensitiveValue[] {
  const out: SensitiveValue[] = [];
  for (const h of [...(d.hostnames ?? []), ...(d.fqdns ?? [])]) splitName(h, out);
  for (const v of d.domains ?? []) out.push({ category: 'domain', value: v });
  for (const v of d.users ?? []) out.push({ category: 'user', value: v });
  for (const v of d.keywords ?? []) out.push({ category: 'keyword', value: v });
  for (const v of d.extra ?? []) out.push(v); // not spread: IMDS can list any number of tags
  return out;
}

export function mergeDiscovered(...parts: readonly Discovered[]): Discovered {
  const pick = (k: 'hostnames' | 'fqdns' | 'domains' | 'users' | 'keywords'): string[] =>
    parts.flatMap((p) => p[k] ?? []);
  return {
    hostnames: pick('hostnames'),
    fqdns: pick('fqdns'),
    domains: pick('domains'),
    users: pick('users'),
    keywords: pick('keywords'),
    extra: parts.flatMap((p) => p.extra ?? []),
  };
}
