import { isJsonObject } from './json-bigint.js';

// What a VM's metadata document says about who it is, curated: the fields a
// cloud vendor looks the VM up with, in clear. Read from the raw document of
// host/cloud-identity.json (Azure IMDS, or the {"aws": …} and {"gcp": …}
// wrappers of collectors/cloud-identity.ts). Pure, and tolerant: a field of
// the wrong type is left out, never thrown on.
//
// `kind` says how sensitive a value is: names and GUIDs identify the customer
// and are pseudonymised unless the operator shares them; `plain` values
// (sizes, regions, zones) are not secrets and stay as they are.

export type CloudFieldKind = 'name' | 'guid' | 'plain';

export interface CloudField {
  key: string;
  value: string;
  kind: CloudFieldKind;
}

export interface CloudDoc {
  provider: 'azure' | 'aws' | 'gcp';
  fields: CloudField[];
}

type Json = Record<string, unknown>;

function str(o: unknown, k: string): string | undefined {
  if (!isJsonObject(o) || !Object.hasOwn(o, k)) return undefined;
  const v = o[k];
  if (typeof v === 'string') return v.trim() || undefined;
  // GCP's instance id is a number; json-bigint's quoting keeps it a string.
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return undefined;
}

// The last segment of a `projects/123/zones/us-central1-a` style path.
function lastSegment(v: string | undefined): string | undefined {
  return v?.split('/').filter(Boolean).pop();
}

function collect(
  provider: CloudDoc['provider'],
  list: Array<[string, string | undefined, CloudFieldKind]>,
): CloudDoc {
  return {
    provider,
    fields: list
      .filter((f): f is [string, string, CloudFieldKind] => f[1] !== undefined)
      .map(([key, value, kind]) => ({ key, value, kind })),
  };
}

// IMDS gives tags twice: `tagsList` [{name, value}] and `tags` "k:v;k:v".
function azureTag(compute: Json, name: string): string | undefined {
  const list = compute['tagsList'];
  if (Array.isArray(list))
    for (const t of list) if (str(t, 'name') === name) return str(t, 'value');
  for (const pair of (str(compute, 'tags') ?? '').split(';')) {
    const colon = pair.indexOf(':');
    if (colon > 0 && pair.slice(0, colon) === name) return pair.slice(colon + 1) || undefined;
  }
  return undefined;
}

// The node image: a gallery image's name and version from its resource id
// (…/galleries/AKSUbuntu/images/2204gen2containerd/versions/202404.09.0), or
// a marketplace image's offer, SKU and version.
function azureImage(compute: Json): string | undefined {
  const ref = isJsonObject(compute['storageProfile'])
    ? compute['storageProfile']['imageReference']
    : undefined;
  const id = str(ref, 'id');
  const gallery = id && /\/images\/([^/]+)\/versions\/([^/]+)$/i.exec(id);
  if (gallery) return `${gallery[1]} ${gallery[2]}`;
  const parts = [str(ref, 'offer'), str(ref, 'sku'), str(ref, 'version')].filter(Boolean);
  return parts.length ? parts.join(' ') : undefined;
}

function azure(compute: Json): CloudDoc {
  const name = str(compute, 'name');
  const vmss = str(compute, 'vmScaleSetName');
  const computer = isJsonObject(compute['osProfile'])
    ? str(compute['osProfile'], 'computerName')
    : undefined;
  // A scale set VM is named <vmss>_<instance id>.
  const instance = vmss && name?.startsWith(`${vmss}_`) ? name.slice(vmss.length + 1) : undefined;
  const pool =
    azureTag(compute, 'aks-managed-poolName') ??
    (computer ? /^aks-([a-z0-9]+)-\d+-vmss[0-9a-z]{6}$/.exec(computer)?.[1] : undefined);
  const aks = azureTag(compute, 'aks-managed-cluster-name');
  return collect('azure', [
    ['subscriptionId', str(compute, 'subscriptionId'), 'guid'],
    ['resourceGroup', str(compute, 'resourceGroupName'), 'name'],
    ['vmName', name, 'name'],
    ['vmScaleSet', vmss, 'name'],
    ['vmssInstanceId', instance, 'plain'],
    ['computerName', computer, 'name'],
    ['vmId', str(compute, 'vmId'), 'guid'],
    ['vmSize', str(compute, 'vmSize'), 'plain'],
    ['location', str(compute, 'location'), 'plain'],
    ['zone', str(compute, 'zone'), 'plain'],
    ['aksCluster', aks, 'name'],
    // A pool name is only an AKS pool on an AKS node.
    ['aksNodePool', (aks ?? vmss?.startsWith('aks-')) ? pool : undefined, 'name'],
    ['nodeImage', azureImage(compute), 'name'],
  ]);
}

function aws(doc: unknown): CloudDoc {
  return collect('aws', [
    ['accountId', str(doc, 'accountId'), 'name'],
    ['instanceId', str(doc, 'instanceId'), 'name'],
    ['instanceType', str(doc, 'instanceType'), 'plain'],
    ['region', str(doc, 'region'), 'plain'],
    ['availabilityZone', str(doc, 'availabilityZone'), 'plain'],
    ['imageId', str(doc, 'imageId'), 'name'],
  ]);
}

function gcp(doc: unknown): CloudDoc {
  const zone = str(doc, 'zone');
  return collect('gcp', [
    ['project', str(doc, 'project'), 'name'],
    // The zone's path names the project by number.
    ['projectNumber', zone ? /^projects\/(\d+)\//.exec(zone)?.[1] : undefined, 'name'],
    ['instanceId', str(doc, 'id'), 'name'],
    ['instanceName', str(doc, 'name'), 'name'],
    ['machineType', lastSegment(str(doc, 'machineType')), 'plain'],
    ['zone', lastSegment(zone), 'plain'],
    ['gkeCluster', str(doc, 'clusterName'), 'name'],
    ['gkeClusterLocation', str(doc, 'clusterLocation'), 'plain'],
  ]);
}

// The parsed document (quoteLargeIntegers first); undefined when it is none
// of ours (not queried, not answered, not an object).
export function readCloudDoc(doc: unknown): CloudDoc | undefined {
  if (!isJsonObject(doc)) return undefined;
  if (isJsonObject(doc['compute'])) return azure(doc['compute']);
  if (Object.hasOwn(doc, 'aws') && isJsonObject(doc['aws'])) return aws(doc['aws']);
  if (Object.hasOwn(doc, 'gcp') && isJsonObject(doc['gcp'])) return gcp(doc['gcp']);
  return undefined;
}

export function cloudField(d: CloudDoc, key: string): string | undefined {
  return d.fields.find((f) => f.key === key)?.value;
}
