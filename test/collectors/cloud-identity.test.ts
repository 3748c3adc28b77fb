import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFromHost } from '../../bundles/discover.js';
import { discoveredValues } from '../../bundles/redact/discovered.js';
import { readCloudDoc } from '../../collectors/cloud-doc.js';
import { cloudIdentityCollector, parseCloudIdentity } from '../../collectors/cloud-identity.js';
import { quoteLargeIntegers } from '../../collectors/json-bigint.js';
import type { RawFile } from '../../collectors/model.js';
import { IMDS_INSTANCE } from '../bundles/redact/corpus.js';

// The cloud identity script, run for real under dash and bash against a fake
// `curl` (the metadata services are never reached from a test), and the
// documents it prints, read into the identity the vendor looks a VM up with.

// The example instance identity document of the AWS documentation
// ("Instance identity documents", EC2 User Guide).
const AWS_DOC = `{
  "accountId" : "123456789012",
  "architecture" : "x86_64",
  "availabilityZone" : "us-west-2b",
  "billingProducts" : null,
  "devpayProductCodes" : null,
  "marketplaceProductCodes" : [ "1abc2defghijklm3nopqrs4tu" ],
  "imageId" : "ami-5fb8c835",
  "instanceId" : "i-1234567890abcdef0",
  "instanceType" : "t2.micro",
  "kernelId" : null,
  "pendingTime" : "2016-11-19T16:32:11Z",
  "privateIp" : "10.158.112.84",
  "ramdiskId" : null,
  "region" : "us-west-2",
  "version" : "2017-09-30"
}`;

// What GCP's metadata server answers with ?alt=json: JSON values (the id a
// number, the rest strings); cluster-location is absent (404) on this VM.
const GCP_ANSWERS: Record<string, string | undefined> = {
  'instance/id': '4520031799277581759',
  'instance/name': '"gke-prod-pool-1-8f3a2b1c-x7k2"',
  'instance/zone': '"projects/731049982257/zones/europe-west1-b"',
  'instance/machine-type': '"projects/731049982257/machineTypes/n2-standard-8"',
  'project/project-id': '"acme-prod-42"',
  'instance/attributes/cluster-name': '"prod-cluster"',
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-cloud-'));
  const cases = Object.entries(GCP_ANSWERS)
    .map(([path, body]) => `  *"/computeMetadata/v1/${path}?alt=json") printf '%s' '${body}' ;;`)
    .join('\n');
  await writeFile(join(dir, 'aws-doc.json'), AWS_DOC);
  // A curl that answers from the table, checks the headers each service
  // requires, and fails (22, like -f on a 404) on anything else.
  const curl = `#!/bin/sh
url=''; hdr=''; put=''
for a; do case $a in http*) url=$a ;; -X) put=1 ;; X-aws-ec2-metadata-token:*|Metadata-Flavor:*|Metadata:*) hdr="$hdr|$a" ;; esac; done
case $url in
  */latest/api/token) [ -n "$put" ] && printf TOKEN123 || exit 22 ;;
  */instance-identity/document) case $hdr in *"X-aws-ec2-metadata-token: TOKEN123"*) cat '${dir}/aws-doc.json' ;; *) exit 22 ;; esac ;;
  */computeMetadata/*) case $hdr in *Metadata-Flavor:Google*) ;; *) exit 22 ;; esac
    case $url in
${cases}
      *) exit 22 ;;
    esac ;;
  *) exit 22 ;;
esac
`;
  await writeFile(join(dir, 'curl'), curl);
  await chmod(join(dir, 'curl'), 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function runScript(shell: 'dash' | 'bash', vendor: string): Promise<string> {
  await writeFile(join(dir, 'sys_vendor'), `${vendor}\n`);
  const sh = (cloudIdentityCollector.source as { sh: string }).sh.replaceAll(
    '/sys/class/dmi/id/sys_vendor',
    join(dir, 'sys_vendor'),
  );
  const r = await execa(shell, ['-c', sh], { env: { PATH: `${dir}:/usr/bin:/bin` } });
  return r.stdout;
}

const doc = (text: string) => readCloudDoc(JSON.parse(quoteLargeIntegers(text)));

describe('the cloud identity script', () => {
  for (const shell of ['dash', 'bash'] as const) {
    it(`${shell}: AWS, with an IMDSv2 session token`, async () => {
      const out = await runScript(shell, 'Amazon EC2');
      expect(doc(out)).toEqual({
        provider: 'aws',
        fields: [
          { key: 'accountId', value: '123456789012', kind: 'name' },
          { key: 'instanceId', value: 'i-1234567890abcdef0', kind: 'name' },
          { key: 'instanceType', value: 't2.micro', kind: 'plain' },
          { key: 'region', value: 'us-west-2', kind: 'plain' },
          { key: 'availabilityZone', value: 'us-west-2b', kind: 'plain' },
          { key: 'imageId', value: 'ami-5fb8c835', kind: 'name' },
        ],
      });
      expect(parseCloudIdentity(out).value).toEqual({
        provider: 'aws',
        vmSize: 't2.micro',
        location: 'us-west-2',
        zone: 'us-west-2b',
      });
    });

    it(`${shell}: GCP, field by field; an absent attribute is null`, async () => {
      const out = await runScript(shell, 'Google');
      expect(JSON.parse(quoteLargeIntegers(out)).gcp.clusterLocation).toBeNull();
      expect(doc(out)).toEqual({
        provider: 'gcp',
        fields: [
          { key: 'project', value: 'acme-prod-42', kind: 'name' },
          { key: 'projectNumber', value: '731049982257', kind: 'name' },
          { key: 'instanceId', value: '4520031799277581759', kind: 'name' },
          { key: 'instanceName', value: 'gke-prod-pool-1-8f3a2b1c-x7k2', kind: 'name' },
          { key: 'machineType', value: 'n2-standard-8', kind: 'plain' },
          { key: 'zone', value: 'europe-west1-b', kind: 'plain' },
          { key: 'gkeCluster', value: 'prod-cluster', kind: 'name' },
        ],
      });
      expect(parseCloudIdentity(out).value).toEqual({
        provider: 'gcp',
        vmSize: 'n2-standard-8',
        location: 'europe-west1',
        zone: 'europe-west1-b',
      });
    });

    it(`${shell}: a host of no known cloud is not queried`, async () => {
      const out = await runScript(shell, 'QEMU');
      expect(JSON.parse(out)).toEqual({ dropkit: 'not queried', sys_vendor: 'QEMU' });
      expect(doc(out)).toBeUndefined();
    });
  }
});

describe('readCloudDoc', () => {
  it('Azure: the identity of an AKS node, with its cluster and pool from the tags', () => {
    const d = doc(IMDS_INSTANCE)!;
    expect(Object.fromEntries(d.fields.map((f) => [f.key, f.value]))).toEqual({
      subscriptionId: '8f2c7b1e-3d4a-4c5b-9e6f-0a1b2c3d4e5f',
      resourceGroup: 'MC_rg-search_aks-search_westeurope',
      vmName: 'aks-nodepool1-12345678-vmss_0',
      vmScaleSet: 'aks-nodepool1-12345678-vmss',
      vmssInstanceId: '0',
      computerName: 'aks-nodepool1-12345678-vmss000000',
      vmId: '5c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5',
      vmSize: 'Standard_D16ps_v5',
      location: 'westeurope',
      zone: '1',
      aksCluster: 'aks-search',
      aksNodePool: 'nodepool1',
    });
  });

  it('Azure: a gallery node image; the pool from the node name without tags', () => {
    const d = readCloudDoc({
      compute: {
        vmScaleSetName: 'aks-gpu-31754206-vmss',
        name: 'aks-gpu-31754206-vmss_12',
        osProfile: { computerName: 'aks-gpu-31754206-vmss00000c' },
        storageProfile: {
          imageReference: {
            id: '/subscriptions/x/resourceGroups/AKS-Ubuntu/providers/Microsoft.Compute/galleries/AKSUbuntu/images/2204gen2containerd/versions/202404.09.0',
          },
        },
      },
    })!;
    const f = Object.fromEntries(d.fields.map((x) => [x.key, x.value]));
    expect(f['aksNodePool']).toBe('gpu');
    expect(f['vmssInstanceId']).toBe('12');
    expect(f['nodeImage']).toBe('2204gen2containerd 202404.09.0');
  });

  it('hostile documents: wrong types are left out, nothing is thrown', () => {
    for (const bad of [
      null,
      [],
      'x',
      { compute: [] },
      { aws: 'x' },
      { gcp: null },
      JSON.parse('{"__proto__": {"compute": {"vmId": "x"}}}'),
    ])
      expect(readCloudDoc(bad), JSON.stringify(bad)).toBeUndefined();
    const d = readCloudDoc({
      compute: { subscriptionId: true, vmId: {}, vmSize: ['a'], zone: '' },
    })!;
    expect(d).toEqual({ provider: 'azure', fields: [] });
    expect(parseCloudIdentity('{"aws":}').warnings).toEqual(['cloud identity: not JSON']);
  });
});

describe('redaction of the AWS and GCP documents', () => {
  const raw = (text: string): RawFile[] => [
    {
      path: 'host/cloud-identity.json',
      bytes: Buffer.from(text),
      record: {
        id: 'cloud_identity',
        rawPath: 'host/cloud-identity.json',
        source: 'sh',
        bytes: text.length,
        exitCode: 0,
        ok: true,
      },
    },
  ];
  it('their names and IDs are discovered, their sizes and regions are not', async () => {
    const aws = discoveredValues(discoverFromHost(raw(`{"aws":${AWS_DOC}}`), {})).map(
      (v) => v.value,
    );
    expect(aws).toEqual(
      expect.arrayContaining(['123456789012', 'i-1234567890abcdef0', 'ami-5fb8c835']),
    );
    expect(aws).not.toContain('us-west-2');
    const gcpOut = await runScript('dash', 'Google');
    const gcp = discoveredValues(discoverFromHost(raw(gcpOut), {})).map((v) => v.value);
    expect(gcp).toEqual(
      expect.arrayContaining([
        'acme-prod-42',
        '731049982257',
        '4520031799277581759',
        'prod-cluster',
        'gke-prod-pool-1-8f3a2b1c-x7k2',
      ]),
    );
    expect(gcp).not.toContain('n2-standard-8');
  });
});
