import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarGz } from '../../bundles/archive.js';
import { collectNodeBundle } from '../../bundles/collect-node-bundle.js';
import { identityLines } from '../../bundles/identity-json.js';
import type { ShareRequest } from '../../bundles/identity-share.js';
import type { Manifest } from '../../bundles/manifest.js';
import { verifyBundle } from '../../bundles/verify.js';
import { capture } from '../fakes/captures.js';
import { FakeTransport } from '../fakes/fake-transport.js';
import { snapshotOutput } from '../fakes/host-output.js';
import { IMDS_INSTANCE, IP_J_ADDR } from './redact/corpus.js';

// --share-identity end to end without SSH: a fake Azure node answers the
// snapshot (hostname, `ip -j addr`, the IMDS document), the bundle is
// written and read back. identity.json holds the shared values in clear, and
// no other file holds any of them.

const SNAPSHOT = 'snapshot: snapshot script';

const azureNode = () =>
  new FakeTransport('vmA', {
    [SNAPSHOT]: (call) => ({
      stdout: snapshotOutput(call.req.script!, [
        { id: 'uname', body: capture('uname-vmA.txt') },
        { id: 'hostname', body: 'aks-nodepool1-12345678-vmss000000\n' },
        { id: 'ip_addr', body: IP_J_ADDR },
        { id: 'cloud_identity', body: IMDS_INSTANCE },
      ]),
    }),
  });

// Every value the IMDS document and `ip addr` hold that identity.json shares.
const SHARED = [
  'aks-nodepool1-12345678-vmss000000',
  '10.224.0.4',
  '00:0d:3a:12:34:56',
  '8f2c7b1e-3d4a-4c5b-9e6f-0a1b2c3d4e5f',
  '5c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5',
  'MC_rg-search_aks-search_westeurope',
  'aks-nodepool1-12345678-vmss',
  'aks-search',
];

let dir: string;
const savedConfig = process.env['XDG_CONFIG_HOME'];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-share-'));
  process.env['XDG_CONFIG_HOME'] = join(dir, 'config');
});
afterAll(async () => {
  if (savedConfig === undefined) delete process.env['XDG_CONFIG_HOME'];
  else process.env['XDG_CONFIG_HOME'] = savedConfig;
  await rm(dir, { recursive: true, force: true });
});

async function bundle(share: ShareRequest) {
  const out = await collectNodeBundle({
    specs: ['vmA'],
    open: async () => azureNode(),
    signal: new AbortController().signal,
    command: ['collect', 'bundle', '--share-identity'],
    outDir: join(dir, 'out'),
    redact: true,
    keywords: [],
    share,
  });
  const back = await readTarGz(out.written.file);
  const files = new Map(
    back.entries.map((e) => [e.path.split('/').slice(1).join('/'), e.bytes.toString('utf8')]),
  );
  return { out, files };
}

describe('--share-identity', () => {
  it('identity.json holds the shared values in clear, and no other file holds any', async () => {
    let shown: string[] = [];
    const { out, files } = await bundle({
      hints: [],
      confirm: async (lines) => {
        shown = lines;
        return true;
      },
    });
    // The operator saw every value before it was shared.
    for (const v of SHARED.slice(0, 5)) expect(shown.join('\n')).toContain(v);

    const identity = JSON.parse(files.get('identity.json')!);
    expect(identity.schema).toBe('dropkit.identity/1');
    const [host] = identity.hosts;
    expect(host.nodeName.value).toBe('aks-nodepool1-12345678-vmss000000');
    // inBundle is how the rest of the bundle spells it: the host's folder.
    expect(host.host).toBe(host.nodeName.inBundle);
    expect(host.nodeName.inBundle).not.toBe(host.nodeName.value);
    expect([...files.keys()].some((p) => p.startsWith(`hosts/${host.host}/`))).toBe(true);
    expect(host.primaryNic).toMatchObject({
      name: 'eth0',
      chosen: 'only interface with a global address',
      ipv4: [{ value: '10.224.0.4' }],
      mac: { value: '00:0d:3a:12:34:56' },
    });
    expect(host.cloud).toMatchObject({
      provider: 'azure',
      subscriptionId: { value: '8f2c7b1e-3d4a-4c5b-9e6f-0a1b2c3d4e5f' },
      resourceGroup: { value: 'MC_rg-search_aks-search_westeurope' },
      vmScaleSet: { value: 'aks-nodepool1-12345678-vmss' },
      vmssInstanceId: '0',
      vmId: { value: '5c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5' },
      vmSize: 'Standard_D16ps_v5',
      location: 'westeurope',
      zone: '1',
      aksCluster: { value: 'aks-search' },
      aksNodePool: { value: 'nodepool1' },
    });
    // The pseudonymised IMDS document still ships, with none of the values.
    expect(files.has('hosts/' + host.host + '/raw/host/cloud-identity.json')).toBe(true);
    for (const [path, text] of files) {
      if (path === 'identity.json') continue;
      for (const v of SHARED)
        expect(text.toLowerCase(), `${path}: ${v}`).not.toContain(v.toLowerCase());
    }

    const summary = JSON.parse(files.get('summary.json')!);
    expect(summary.shared.file).toBe('identity.json');
    expect(summary.shared.fields).toEqual(
      expect.arrayContaining([
        'node name',
        'primary NIC IPv4',
        'primary NIC MAC',
        'azure subscriptionId',
      ]),
    );
    expect(files.get('summary.md')).toMatch(
      /Shared in clear at the operator's request \(--share-identity\): identity\.json holds node name, /,
    );
    const manifest = JSON.parse(files.get('manifest.json')!) as Manifest;
    expect(manifest.redaction.shared).toEqual(['identity.json']);
    expect(manifest.files.some((f) => f.path === 'identity.json')).toBe(true);
    // The exact scan (the map beside the bundle) allows the shared values in
    // identity.json only.
    const v = await verifyBundle(out.written.file);
    expect(v.problems).toEqual([]);
  });

  it('declined: the bundle is written as without the flag', async () => {
    const { files } = await bundle({ hints: [], confirm: async () => false });
    expect(files.has('identity.json')).toBe(false);
    expect(JSON.parse(files.get('summary.json')!).shared).toBeUndefined();
    expect(files.get('summary.md')).not.toContain('Shared in clear');
    for (const [path, text] of files) expect(text, path).not.toContain('10.224.0.4');
  });

  it('the lines shown name every value, one per line', () => {
    const lines = identityLines([
      {
        label: 'vmB',
        role: 'receiver',
        nodeName: 'vmB',
        nic: {
          name: 'eth0',
          chosen: 'data interface of the run',
          ipv4: ['198.18.0.10'],
          ipv6: [],
          mac: 'd2:00:00:00:00:01',
        },
      },
    ]);
    expect(lines).toEqual([
      'vmB (receiver):',
      '  node name: vmB',
      '  eth0 (data interface of the run): 198.18.0.10, d2:00:00:00:00:01',
    ]);
  });
});
