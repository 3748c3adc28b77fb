import type { SensitiveValue } from './categories.js';
import type { Discovered } from './discovered.js';

// Pure helpers that turn the raw text of discovery sources into `Discovered` values. They are
// tolerant: odd lines are skipped, never thrown on.

// What `line.replace(/#.*$/, '')` gives (a comment runs from the first `#` after the last line
// break the line may still hold, a lone CR), without its retry from every `#` before such a break,
// which is quadratic.
function uncommented(line: string): string {
  const lastBreak = Math.max(
    line.lastIndexOf('\r'),
    line.lastIndexOf('\u2028'),
    line.lastIndexOf('\u2029'),
  );
  const hash = line.indexOf('#', lastBreak + 1);
  return hash < 0 ? line : line.slice(0, hash);
}

// /etc/hosts: every name on every line (Debian puts the host's own name on 127.0.1.1). The
// stock localhost / ip6-* names are dropped later by the keep rules.
export function discoverFromEtcHosts(text: string): Discovered {
  const fqdns: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = uncommented(line).trim().split(/\s+/);
    if (fields.length < 2) continue;
    // One by one: spreading a line of a few hundred thousand names exceeds the call stack.
    for (const name of fields.slice(1)) fqdns.push(name);
  }
  return { fqdns };
}

// resolv.conf `search a b c` and `domain x`. Split into words, not matched with
// `^\s*(?:search|domain)\s+(.+)$`: on `search`, a run of blanks and a lone CR ending the line,
// its `\s+` gives back one blank at a time and `.+` rescans the rest each time (quadratic).
export function discoverFromResolvConf(text: string): Discovered {
  const domains: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const [keyword, ...names] = uncommented(line).trim().split(/\s+/);
    // One by one, as for /etc/hosts.
    if (keyword === 'search' || keyword === 'domain') for (const name of names) domains.push(name);
  }
  return { domains };
}

function field(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, key))
      return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

// Azure IMDS `/metadata/instance` JSON, already parsed.
export function discoverFromImds(doc: unknown): Discovered {
  const compute = field(doc, 'compute');
  const hostnames: string[] = [];
  const users: string[] = [];
  const extra: SensitiveValue[] = [];
  const push = (category: SensitiveValue['category'], v: unknown): void => {
    const t = text(v);
    if (t !== undefined) extra.push({ category, value: t });
  };
  const computer = text(field(compute, 'osProfile', 'computerName'));
  if (computer !== undefined) hostnames.push(computer);
  const admin = text(field(compute, 'osProfile', 'adminUsername'));
  if (admin !== undefined) users.push(admin);
  for (const key of ['name', 'resourceGroupName', 'vmScaleSetName'])
    push('azure-name', field(compute, key));
  push('guid', field(compute, 'subscriptionId'));
  push('guid', field(compute, 'vmId'));
  for (const tag of list(field(compute, 'tagsList'))) push('azure-name', field(tag, 'value'));
  for (const nic of list(field(doc, 'network', 'interface'))) {
    push('mac', field(nic, 'macAddress'));
    for (const family of ['ipv4', 'ipv6'] as const)
      for (const a of list(field(nic, family, 'ipAddress'))) {
        push(family, field(a, 'privateIpAddress'));
        push(family, field(a, 'publicIpAddress'));
      }
  }
  return { hostnames, users, extra };
}
