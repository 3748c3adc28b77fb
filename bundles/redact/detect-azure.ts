import type { LabelCategory } from './categories.js';
import { secretFinding } from './detect-secrets.js';
import { type Finding, PRIORITY } from './finding.js';
import { labelFinding } from './label-finding.js';
import { parseMac, renderMac } from './mac.js';
import { closingQuote } from './quoted-string.js';

// /subscriptions/<guid>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>[/<type>/<name>]:
// the GUID is left to the GUID rule; the group and every resource name are customer names.
// Provider namespaces, resource types and regions (`locations/westeurope`) stay readable.
// The segments after the GUID are read one by one (a regex repeating `/segment` keeps a backtrack
// entry per segment and overflows V8's stack on a few million of them).
const AZURE_ID =
  /\/subscriptions\/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/gi;
const SEGMENT = /\/[^/\s"'?#&,;)\]}<>]+/y;
const READABLE_SEGMENT_KINDS = new Set(['providers', 'locations']);

// The `/segment`s from `from` on, each without its slash, and where the last one ends.
function segmentsAt(text: string, from: number): { segments: Segment[]; end: number } {
  const segments: Segment[] = [];
  const re = new RegExp(SEGMENT);
  re.lastIndex = from;
  let end = from;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    segments.push({ text: m[0].slice(1), start: m.index + 1 });
    end = re.lastIndex;
  }
  return { segments, end };
}

interface Segment {
  readonly text: string;
  readonly start: number;
}

function azureIdFindings(text: string): Finding[] {
  const out: Finding[] = [];
  const re = new RegExp(AZURE_ID);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const { segments, end } = segmentsAt(text, re.lastIndex);
    re.lastIndex = end;
    for (let i = 0; i + 1 < segments.length; i += 2) {
      if (READABLE_SEGMENT_KINDS.has(segments[i]!.text.toLowerCase())) continue;
      const name = segments[i + 1]!;
      const f = labelFinding(name.start, name.text, 'azure-name');
      if (f) out.push(f);
    }
  }
  return out;
}

// JSON string fields whose value is a name by definition, wherever they appear: Azure IMDS
// (`compute.osProfile.computerName`, `resourceGroupName`, `network...macAddress`, where the MAC
// has no separators), and our own parsed JSON.
type KeyRule = LabelCategory | 'mac' | 'secret' | 'tags';
const KEY_RULES = new Map<string, KeyRule>([
  ['computername', 'hostname'],
  ['hostname', 'hostname'],
  ['nodename', 'hostname'],
  ['fqdn', 'hostname'],
  ['adminusername', 'user'],
  ['username', 'user'],
  ['resourcegroupname', 'azure-name'],
  ['resourcegroup', 'azure-name'],
  ['vmscalesetname', 'azure-name'],
  ['vmname', 'azure-name'],
  ['clustername', 'azure-name'],
  ['macaddress', 'mac'],
  // SSH public keys identify the admin; custom/user data are base64 blobs that often carry
  // bootstrap credentials.
  ['keydata', 'secret'],
  ['customdata', 'secret'],
  ['userdata', 'secret'],
  ['tags', 'tags'],
]);
// In IMDS documents `name` is the VM / disk / tag name and `value` a tag value; elsewhere (our
// parsed counters) `name` is a counter name and must stay.
const IMDS_KEY_RULES = new Map<string, KeyRule>([
  ['name', 'azure-name'],
  ['value', 'azure-name'],
]);

// `"key": "` here; the value is scanned by closingQuote, which needs no regex stack however long
// it is.
const JSON_STRING_KEY = /"([A-Za-z][A-Za-z0-9_]*)"[ \t]*:[ \t]*"/g;

function fieldFindings(rule: KeyRule, start: number, value: string): Finding[] {
  if (value === '') return [];
  if (rule === 'mac') {
    const p = parseMac(value);
    if (p === undefined) return [];
    return [
      {
        start,
        end: start + value.length,
        category: 'mac',
        priority: PRIORITY.structure,
        replace: (t, o) => t.mac(o),
        learn: [{ category: 'mac', value: renderMac(p.bytes, 'colon', false) }],
      },
    ];
  }
  if (rule === 'secret') return [secretFinding(start, value)];
  if (rule === 'tags') {
    // IMDS `tags`: `key1:value1;key2:value2`. Keys are Azure/AKS conventions, values are names.
    const out: Finding[] = [];
    let pos = start;
    for (const pair of value.split(';')) {
      const colon = pair.indexOf(':');
      if (colon >= 0) {
        const f = labelFinding(pos + colon + 1, pair.slice(colon + 1), 'azure-name');
        if (f) out.push(f);
      }
      pos += pair.length + 1;
    }
    return out;
  }
  const f = labelFinding(start, value, rule);
  return f ? [f] : [];
}

function jsonFieldFindings(text: string, imds: boolean): Finding[] {
  const out: Finding[] = [];
  const re = new RegExp(JSON_STRING_KEY);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const start = re.lastIndex;
    const end = closingQuote(text, start);
    if (end < 0) {
      // No string after all: look again from the next character, as the whole regex would.
      re.lastIndex = m.index + 1;
      continue;
    }
    re.lastIndex = end + 1;
    const key = m[1]!.toLowerCase();
    const rule = KEY_RULES.get(key) ?? (imds ? IMDS_KEY_RULES.get(key) : undefined);
    if (rule === undefined) continue;
    // One by one: a spread of an IMDS `tags` value's findings can exceed the call stack.
    for (const f of fieldFindings(rule, start, text.slice(start, end))) out.push(f);
  }
  return out;
}

// Tenant-chosen labels in front of cloud DNS suffixes: storage accounts, key vaults, registries,
// AKS API servers, and Azure's per-VNet internal DNS zone (`<random>.xx.internal.cloudapp.net`).
const CLOUD_NAME =
  /(?<![A-Za-z0-9.-])([A-Za-z0-9][A-Za-z0-9.-]*?)\.((?:blob|file|queue|table|dfs|web)\.core\.windows\.net|vault\.azure\.net|azurecr\.io|azmk8s\.io|cloudapp\.azure\.com|internal\.cloudapp\.net|servicebus\.windows\.net|database\.windows\.net)(?![A-Za-z0-9-])/gi;

// AKS node and scale-set names (`aks-nodepool1-12345678-vmss000000`, `...-vmss`, and the
// availability-set nodes of older clusters, `aks-agentpool-12345678-0`) carry the cluster's hash;
// catch them even when discovery missed the node. Their tokens keep the shape (node-names.ts).
const AKS_NAME =
  /(?<![A-Za-z0-9])aks-[a-z0-9]+-\d{8}-(?:vmss(?:[0-9a-z]{6})?|\d{1,3})(?![A-Za-z0-9])/gi;

// A tail every CLOUD_NAME match ends with. Most texts hold none, and this finds that far sooner
// than the pattern, which tries its lookbehind and a lazy run at every word.
const CLOUD_TAIL = /windows\.net|azure\.net|azurecr\.io|azmk8s\.io|azure\.com|cloudapp\.net/i;

// Each label is replaced on its own (the first as a host, the rest as domain labels), so a
// known host name in front of the zone keeps the token it has everywhere else. Labels of one or
// two characters (`.ax.` region codes) stay, per the keep rules.
function cloudNameFindings(text: string): Finding[] {
  const out: Finding[] = [];
  const names = CLOUD_TAIL.test(text) ? text.matchAll(CLOUD_NAME) : [];
  for (const m of names) {
    let pos = m.index;
    for (const [i, label] of m[1]!.split('.').entries()) {
      const f = labelFinding(pos, label, i === 0 ? 'hostname' : 'domain');
      if (f) out.push(f);
      pos += label.length + 1;
    }
  }
  const nodes = /aks-/i.test(text) ? text.matchAll(AKS_NAME) : [];
  for (const m of nodes) {
    const f = labelFinding(m.index, m[0], /vmss$/i.test(m[0]) ? 'azure-name' : 'hostname');
    if (f) out.push(f);
  }
  return out;
}

export function azureFindings(text: string, imds: boolean): Finding[] {
  return [...azureIdFindings(text), ...jsonFieldFindings(text, imds), ...cloudNameFindings(text)];
}
