import { describe, expect, it } from 'vitest';
import { createRedactor, scanForLeaks } from '../../../bundles/redact/index.js';
import { parseAksName, parseScaleSetName } from '../../../bundles/redact/node-names.js';
import { IMDS_INSTANCE } from './corpus.js';
import { SECRET_A, SECRET_B } from './helpers.js';

// AKS node names keep their shape: `aks-<pool>-<hash>-vmss<instance>` becomes a name of the same
// shape and length, the pool and the hash pseudonymised consistently, the instance kept.

const VMSS_NODE = /^aks-(r[0-9a-f]+)-(\d{8})-vmss([0-9a-z]{6})$/;

describe('AKS node names', () => {
  const nodes = [
    'aks-nodepool1-31754206-vmss000000',
    'aks-nodepool1-31754206-vmss000001',
    'aks-nodepool1-31754206-vmss00000a',
    'aks-espool-31754206-vmss000000',
    'aks-nodepool1-87654321-vmss000000',
  ];
  const r = createRedactor({ secret: SECRET_A, discovered: { hostnames: nodes } });
  const parts = (name: string) => VMSS_NODE.exec(r.redactText(name).text)!.slice(1);

  it('keep the shape and the length, and the instance', () => {
    for (const n of nodes) {
      const out = r.redactText(n).text;
      expect(out, n).toMatch(VMSS_NODE);
      expect(out).toHaveLength(n.length);
      expect(out.slice(-6)).toBe(n.slice(-6));
      expect(out).not.toContain('nodepool1');
      expect(out).not.toContain('31754206');
    }
  });

  it('share the pool and the hash token when they share the pool and the cluster', () => {
    const [a, b, c, d, e] = nodes.map(parts);
    expect(a![0]).toBe(b![0]); // same pool
    expect(a![1]).toBe(b![1]); // same cluster
    expect(c!.slice(0, 2)).toEqual(a!.slice(0, 2));
    expect(d![0]).not.toBe(a![0]); // another pool of the same cluster
    expect(d![1]).toBe(a![1]);
    expect(e![0]).toBe(a![0]); // the same pool name in another cluster
    expect(e![1]).not.toBe(a![1]);
  });

  it('name the scale set, its VM resources and availability-set nodes alike', () => {
    const [pool, hash] = parts(nodes[0]!);
    const out = r.redactText(
      'vmss aks-nodepool1-31754206-vmss vm aks-nodepool1-31754206-vmss_1 vmas aks-nodepool1-31754206-2',
    ).text;
    expect(out).toBe(
      `vmss aks-${pool}-${hash}-vmss vm aks-${pool}-${hash}-vmss_1 vmas aks-${pool}-${hash}-2`,
    );
  });

  it('are found in free text without discovery, and in IMDS, with the pool of the tags', () => {
    const plain = createRedactor({ secret: SECRET_A });
    const line = plain.redactText('node/aks-nodepool1-31754206-vmss00000b Ready agent 2d').text;
    const [pool, hash, instance] = /aks-(\w+)-(\d{8})-vmss(\w{6})/.exec(line)!.slice(1);
    expect([pool, hash]).toEqual(parts(nodes[0]!).slice(0, 2));
    expect(instance).toBe('00000b');
    const imds = JSON.parse(plain.redactText(IMDS_INSTANCE, 'imds.json').text).compute;
    const tagPool = /aks-managed-poolName:(\w+)/.exec(imds.tags)![1]!;
    expect(imds.osProfile.computerName).toMatch(new RegExp(`^aks-${tagPool}-\\d{8}-vmss000000$`));
    expect(imds.vmScaleSetName).toMatch(new RegExp(`^aks-${tagPool}-\\d{8}-vmss$`));
    expect(imds.name).toMatch(new RegExp(`^aks-${tagPool}-\\d{8}-vmss_0$`));
  });

  it('depend on the case secret', () => {
    const other = createRedactor({ secret: SECRET_B, discovered: { hostnames: nodes } });
    expect(other.redactText(nodes[0]!).text).not.toBe(r.redactText(nodes[0]!).text);
  });

  it('are in the map whole, and the leak scan still finds an original', () => {
    const map = r.mapping();
    for (const n of nodes)
      expect(map).toContainEqual({
        category: 'hostname',
        original: n,
        pseudonym: r.redactText(n).text,
      });
    expect(map.find((e) => e.original === 'nodepool1')?.category).toBe('azure-name');
    const files = [{ path: 'kubectl.txt', text: `node ${nodes[1]} Ready` }];
    expect(scanForLeaks(files, r.sensitiveValues())).toEqual([
      { path: 'kubectl.txt', category: 'hostname' },
    ]);
    const redacted = r.redactFiles(files).files;
    expect(scanForLeaks(redacted, r.sensitiveValues())).toEqual([]);
  });
});

describe('scale-set computer names', () => {
  it('keep the instance id after a pseudonymised prefix', () => {
    const names = ['essearch000003', 'essearch00001z', 'esdata000003'];
    const r = createRedactor({ secret: SECRET_A, discovered: { hostnames: names } });
    const [a, b, c] = names.map((n) => r.redactText(n).text);
    expect(a).toMatch(/^h[0-9a-f]{7}000003$/);
    expect(b!.slice(0, 8)).toBe(a!.slice(0, 8));
    expect(b!.slice(-6)).toBe('00001z');
    expect(c!.slice(0, 6)).not.toBe(a!.slice(0, 6));
    expect(c).toHaveLength('esdata000003'.length);
  });

  it('other names stay whole', () => {
    const r = createRedactor({
      secret: SECRET_A,
      discovered: { hostnames: ['backup202405', 'vm000001', 'searchvm01'] },
    });
    expect(r.redactText('backup202405').text).toMatch(/^host-[0-9a-f]{7}$/);
    expect(r.redactText('vm000001').text).toMatch(/^h[0-9a-f]{7}$/); // prefix too short
    expect(r.redactText('searchvm01').text).toMatch(/^host-[0-9a-f]{5}$/);
  });
});

describe('parsing', () => {
  it('splits AKS names one way only', () => {
    expect(parseAksName('aks-nodepool1-31754206-vmss000001')).toEqual({
      head: 'aks-',
      pool: 'nodepool1',
      hash: '31754206',
      tail: '-vmss000001',
    });
    expect(parseAksName('AKS-SYS-1234-VMSS_12')?.tail).toBe('-VMSS_12');
    expect(parseAksName('aks-agentpool-12345678-0')?.tail).toBe('-0');
    for (const n of [
      'aks-search',
      'aks-node-pool-1234-vmss000001',
      'aks-a-1234-vmss-x',
      'aks--1-0',
    ])
      expect(parseAksName(n), n).toBeUndefined();
  });

  it('takes six base-36 digits with two leading zeros as an instance id', () => {
    expect(parseScaleSetName('web-vmss00002s', 3)).toEqual({
      prefix: 'web-vmss',
      instance: '00002s',
    });
    expect(parseScaleSetName('ab000001', 3)).toBeUndefined();
    expect(parseScaleSetName('build123456', 3)).toBeUndefined();
  });
});

// A bundle's name and paths are built from a host's token and pass through the redactor again:
// an AKS-shaped token must not be taken for a node name to hide (the lab's bundles failed their
// leak scan that way, with the token in two spellings).
describe('tokens redacted again', () => {
  it('stay as they are and are never learned as originals', () => {
    const name = 'aks-nodepool1-31754206-vmss000000';
    const r = createRedactor({ secret: SECRET_A, discovered: { hostnames: [name] } });
    const token = r.redactText(`Linux ${name} 6.1.0`).text.split(' ')[1]!;
    expect(token).toMatch(/^aks-r[0-9a-f]{8}-\d{8}-vmss000000$/);
    expect(r.redactText(`hosts/${token}/raw`).text).toBe(`hosts/${token}/raw`);
    expect(r.sensitiveValues().map((v) => v.value)).not.toContain(token);
    expect(
      scanForLeaks([{ path: 'uname.txt', text: `Linux ${token}` }], r.sensitiveValues()),
    ).toEqual([]);
  });
});
