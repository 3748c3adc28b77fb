import type { HostIdentity } from './identity-build.js';
import type { SharedNote } from './summary.js';

// identity.json: the values the operator chose to share, in clear, each with
// how the rest of the bundle spells it (`inBundle`), so the vendor can read
// hosts/<host>/ and the summary knowing which VM is which. Pure.
//
// A shared value is always an object {"value", "inBundle"}: the leak scan
// (writer and `collect verify`) allows exactly those values, inside this
// file, and nothing else (sharedValues below).

export const IDENTITY_JSON = 'identity.json';

interface Shared {
  value: string;
  inBundle: string;
}

type Red = (text: string) => string;

const shared = (value: string, red: Red): Shared => ({ value, inBundle: red(value) });

function hostJson(h: HostIdentity, folder: string, red: Red): Record<string, unknown> {
  const out: Record<string, unknown> = { host: folder };
  if (h.role) out['role'] = h.role;
  if (h.nodeName) out['nodeName'] = shared(h.nodeName, red);
  if (h.nic)
    out['primaryNic'] = {
      // An interface name is only pseudonymised when it holds a sensitive
      // value: it is given as the bundle spells it.
      name: red(h.nic.name),
      chosen: h.nic.chosen,
      ipv4: h.nic.ipv4.map((a) => shared(a, red)),
      ipv6: h.nic.ipv6.map((a) => shared(a, red)),
      ...(h.nic.mac ? { mac: shared(h.nic.mac, red) } : {}),
    };
  if (h.cloud) {
    const cloud: Record<string, unknown> = { provider: h.cloud.provider };
    for (const f of h.cloud.fields)
      cloud[f.key] = f.kind === 'plain' ? f.value : shared(f.value, red);
    out['cloud'] = cloud;
  }
  return out;
}

export function identityDocument(
  identity: readonly HostIdentity[],
  folderOf: (label: string) => string,
  red: Red,
): Record<string, unknown> {
  return {
    schema: 'dropkit.identity/1',
    about:
      "Shared in clear at the operator's request (--share-identity). Every other file in this bundle is pseudonymised: inBundle is how it spells each value.",
    hosts: identity.map((h) => hostJson(h, folderOf(h.label), red)),
  };
}

// Every shared value in an identity.json, whoever wrote it: the objects with
// exactly a string `value` and a string `inBundle`.
export function sharedValues(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 16 || typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (
      keys.length === 2 &&
      typeof o['value'] === 'string' &&
      typeof o['inBundle'] === 'string' &&
      Object.hasOwn(o, 'value')
    ) {
      out.push(o['value']);
      return;
    }
    for (const k of keys) walk(o[k], depth + 1);
  };
  walk(doc, 0);
  return out;
}

const FIELD_NAMES: Record<string, string> = {
  nodeName: 'node name',
  ipv4: 'primary NIC IPv4',
  ipv6: 'primary NIC IPv6',
  mac: 'primary NIC MAC',
};

// The summary's header line: which kinds of value were shared, by name.
export function sharedNote(identity: readonly HostIdentity[]): SharedNote {
  const fields = new Set<string>();
  for (const h of identity) {
    if (h.nodeName) fields.add(FIELD_NAMES['nodeName']!);
    if (h.nic?.ipv4.length) fields.add(FIELD_NAMES['ipv4']!);
    if (h.nic?.ipv6.length) fields.add(FIELD_NAMES['ipv6']!);
    if (h.nic?.mac) fields.add(FIELD_NAMES['mac']!);
    for (const f of h.cloud?.fields ?? []) fields.add(`${h.cloud!.provider} ${f.key}`);
  }
  return { file: IDENTITY_JSON, fields: [...fields] };
}

// What the operator is shown before agreeing: one line per value.
export function identityLines(identity: readonly HostIdentity[]): string[] {
  const lines: string[] = [];
  for (const h of identity) {
    lines.push(`${h.label}${h.role ? ` (${h.role})` : ''}:`);
    if (h.nodeName) lines.push(`  node name: ${h.nodeName}`);
    if (h.nic) {
      const addrs = [...h.nic.ipv4, ...h.nic.ipv6, ...(h.nic.mac ? [h.nic.mac] : [])];
      lines.push(`  ${h.nic.name} (${h.nic.chosen}): ${addrs.join(', ') || 'no address'}`);
    }
    for (const f of h.cloud?.fields ?? [])
      lines.push(`  ${h.cloud!.provider} ${f.key}: ${f.value}`);
  }
  return lines;
}

// For the leak scan: identity.json's shared values, allowed in that file
// only (`path`: as the scan names it, with the bundle's folder or without). A
// file that is not JSON allows nothing.
export function identityAllowance(
  file: { path: string; bytes: Buffer } | undefined,
): Map<string, string[]> {
  if (!file) return new Map();
  try {
    return new Map([[file.path, sharedValues(JSON.parse(file.bytes.toString('utf8')))]]);
  } catch {
    return new Map();
  }
}
