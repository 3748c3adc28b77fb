import type { RawFile } from '../../collectors/model.js';
import { discoverFromHost } from '../discover.js';
import { type Discovered, mergeDiscovered } from '../redact/index.js';

// What a sos report (or a dropkit bundle, or a copy of /etc) says about its host, learnt before
// anything is redacted: the same sources a bundle's discovery reads, found under sos's names,
// plus the human users of etc/passwd and the addresses of `ip addr`. Pure.

// sos path (below the report's top directory) -> the name bundles/discover.ts reads it under.
const AS_BUNDLE: Record<string, string> = {
  hostname: 'host/hostname.txt',
  'etc/hostname': 'host/hostname.txt',
  'sos_commands/host/hostname': 'host/hostname.txt',
  'sos_commands/general/hostname': 'host/hostname.txt',
  'etc/hosts': 'host/etc-hosts',
  'etc/resolv.conf': 'host/resolv.conf',
  'host/hostname.txt': 'host/hostname.txt',
  'host/etc-hosts': 'host/etc-hosts',
  'host/resolv.conf': 'host/resolv.conf',
  'host/cloud-identity.json': 'host/cloud-identity.json',
};
const HOSTNAMECTL = 'sos_commands/host/hostnamectl_status';
const PASSWD = 'etc/passwd';
const IP_ADDR = /^sos_commands\/networking\/ip_(?:-o_)?addr(?:ess)?(?:_show)?$/;

// A discovery file is read whole; one larger than this is not a real one.
export const DISCOVERY_MAX_BYTES = 1 << 20;

// The path below the report's top directory (`sosreport-x-2026…/etc/hosts` -> `etc/hosts`),
// or as it is for a directory given at its root.
function below(path: string): string[] {
  const slash = path.indexOf('/');
  return slash < 0 ? [path] : [path, path.slice(slash + 1)];
}

export function isDiscoverySource(path: string): boolean {
  return below(path).some(
    (p) => p in AS_BUNDLE || p === HOSTNAMECTL || p === PASSWD || IP_ADDR.test(p),
  );
}

export function discoverFromInput(
  files: ReadonlyArray<{ path: string; bytes: Buffer }>,
): Discovered {
  const parts: Discovered[] = [];
  const extra: Array<{ category: 'ipv4' | 'ipv6' | 'mac'; value: string }> = [];
  const hostnames: string[] = [];
  const users: string[] = [];
  for (const f of files) {
    for (const p of below(f.path)) {
      const text = f.bytes.toString('utf8');
      const as = AS_BUNDLE[p];
      if (as) {
        const raw = [{ path: as, bytes: f.bytes } as RawFile];
        parts.push(discoverFromHost(raw, {}));
      } else if (p === HOSTNAMECTL) {
        for (const m of text.matchAll(/^\s*(?:Static|Transient) hostname:\s*(\S+)\s*$/gm))
          hostnames.push(m[1]!);
      } else if (p === PASSWD) users.push(...humanUsers(text));
      else if (IP_ADDR.test(p)) extra.push(...addresses(text));
    }
  }
  const found = mergeDiscovered(...parts, { hostnames, users, extra });
  // The redactor keeps names under 3 characters readable (`vm.` sysctls, short tokens); the
  // host's own name is the exception: a 2-letter name from its hostname file is replaced as a
  // keyword, everywhere (at the price of every other `vm` in the text).
  const short = (found.hostnames ?? []).filter((h) => /^[A-Za-z0-9]{1,2}$/.test(h.trim()));
  return short.length ? mergeDiscovered(found, { keywords: short.map((h) => h.trim()) }) : found;
}

// Accounts with a uid from 1000 (not nobody's 65534): people, whose names identify them.
function humanUsers(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    const n = Number(uid);
    if (name && Number.isInteger(n) && n >= 1000 && n < 65534) out.push(name);
  }
  return out;
}

// `inet 10.1.2.3/24`, `inet6 2001:db8::1/64`, `link/ether 00:0d:3a:…`: the host's own
// addresses, sensitive in every spelling wherever they appear.
function addresses(text: string): Array<{ category: 'ipv4' | 'ipv6' | 'mac'; value: string }> {
  const out: Array<{ category: 'ipv4' | 'ipv6' | 'mac'; value: string }> = [];
  for (const m of text.matchAll(/\b(inet6?|link\/ether) ([0-9A-Fa-f:.]+)/g)) {
    const category = m[1] === 'inet' ? 'ipv4' : m[1] === 'inet6' ? 'ipv6' : 'mac';
    out.push({ category, value: m[2]! });
  }
  return out;
}
