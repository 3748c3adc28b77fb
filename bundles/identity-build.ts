import { type CloudDoc, readCloudDoc } from '../collectors/cloud-doc.js';
import { isJsonObject, quoteLargeIntegers } from '../collectors/json-bigint.js';
import type { RawFile } from '../collectors/model.js';
import { getOwn } from '../collectors/own-record.js';
import type { BundleHost } from './bundle-input.js';

// --share-identity: what each host is, for the vendor to look it up, read
// from the raw outputs the bundle already holds (hostname, `ip -j addr`,
// `ip -j route`, the cloud metadata document). Pure; hostile input is read
// tolerantly and anything odd is left out.

export interface IdentityHint {
  // The BundleHost's label.
  label: string;
  role?: 'sender' | 'receiver';
  // The interface the run's traffic crossed: the primary NIC for this case.
  iface?: string;
}

export interface NicIdentity {
  name: string;
  // How it was chosen, said in identity.json.
  chosen: 'data interface of the run' | 'default route' | 'only interface with a global address';
  ipv4: string[];
  ipv6: string[];
  mac?: string;
}

export interface HostIdentity {
  label: string;
  role?: 'sender' | 'receiver';
  nodeName?: string;
  nic?: NicIdentity;
  cloud?: CloudDoc;
}

interface AddrInfo {
  family: string;
  local: string;
  scope: string;
}

interface Link {
  ifname: string;
  mac?: string;
  addrs: AddrInfo[];
}

function json(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(quoteLargeIntegers(text));
  } catch {
    return undefined;
  }
}

const s = (o: Record<string, unknown>, k: string): string | undefined => {
  const v = getOwn(o, k);
  return typeof v === 'string' ? v : undefined;
};

function links(doc: unknown): Link[] {
  if (!Array.isArray(doc)) return [];
  const out: Link[] = [];
  for (const l of doc) {
    if (!isJsonObject(l)) continue;
    const ifname = s(l, 'ifname');
    if (!ifname) continue;
    const addrs: AddrInfo[] = [];
    const info = getOwn(l, 'addr_info');
    for (const a of Array.isArray(info) ? info : []) {
      if (!isJsonObject(a)) continue;
      const family = s(a, 'family');
      const local = s(a, 'local');
      if (family && local) addrs.push({ family, local, scope: s(a, 'scope') ?? '' });
    }
    const mac = s(l, 'link_type') === 'ether' ? s(l, 'address') : undefined;
    out.push({ ifname, ...(mac ? { mac } : {}), addrs });
  }
  return out;
}

function defaultRouteDev(doc: unknown): string | undefined {
  if (!Array.isArray(doc)) return undefined;
  for (const r of doc) if (isJsonObject(r) && s(r, 'dst') === 'default') return s(r, 'dev');
  return undefined;
}

const global = (l: Link, family: string) =>
  l.addrs.filter((a) => a.family === family && a.scope === 'global').map((a) => a.local);

function primaryNic(
  all: Link[],
  routeDev: string | undefined,
  hint?: string,
): NicIdentity | undefined {
  const pick = (name: string | undefined) => all.find((l) => l.ifname === name);
  let chosen: NicIdentity['chosen'] = 'data interface of the run';
  let link = pick(hint);
  if (!link) {
    chosen = 'default route';
    link = pick(routeDev);
  }
  if (!link) {
    chosen = 'only interface with a global address';
    const withGlobal = all.filter((l) => l.ifname !== 'lo' && global(l, 'inet').length);
    link = withGlobal.length === 1 ? withGlobal[0] : undefined;
  }
  if (!link) return undefined;
  return {
    name: link.ifname,
    chosen,
    ipv4: global(link, 'inet'),
    ipv6: global(link, 'inet6'),
    ...(link.mac ? { mac: link.mac } : {}),
  };
}

// The first raw set that has the host's own files (a comparison has one per
// run and phase; the identity does not change between them).
function rawOf(h: BundleHost): RawFile[] {
  return (
    h.rawSets.find((r) => r.raw.some((f) => f.path === 'host/hostname.txt'))?.raw ??
    h.rawSets[0]?.raw ??
    []
  );
}

export function buildIdentity(
  hosts: readonly BundleHost[],
  hints: readonly IdentityHint[],
): HostIdentity[] {
  return hosts
    .filter((h) => h.rawSets.length)
    .map((h) => {
      const raw = rawOf(h);
      const text = (p: string) => raw.find((r) => r.path === p)?.bytes.toString('utf8');
      const hint = hints.find((x) => x.label === h.label);
      // `uname -n` comes first in hostname.txt: the node's name.
      const nodeName = text('host/hostname.txt')?.split('\n')[0]?.trim();
      const nic = primaryNic(
        links(json(text('net/ip-j-addr.json'))),
        defaultRouteDev(json(text('net/ip-j-route.json'))),
        hint?.iface,
      );
      const cloud = readCloudDoc(json(text('host/cloud-identity.json')));
      return {
        label: h.label,
        ...(hint?.role ? { role: hint.role } : {}),
        ...(nodeName ? { nodeName } : {}),
        ...(nic ? { nic } : {}),
        ...(cloud ? { cloud } : {}),
      };
    });
}
