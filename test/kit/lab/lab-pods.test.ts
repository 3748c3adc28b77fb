import { readdir } from 'node:fs/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labStatus, labUp } from '../../../kit/lab/lab.js';
import { labIdFor, labLayout } from '../../../kit/lab/layout.js';
import { hostPodBatch, podsOf } from '../../../kit/lab/pod-layout.js';
import { canRunLab } from '../../lab-available.js';

// A lab of its own (not the suite's shared one): hosts that look like
// Kubernetes nodes, with pods behind lxc… veths, and real traffic from a pod
// on vmA to a pod on vmB.
const ID = labIdFor('tpods');

describe('pod layout (pure)', () => {
  it('names, addresses and routes pods as a node with host routing does', () => {
    const layout = labLayout(ID, 2, 3);
    const pods = podsOf(layout, 1);
    expect(pods.map((p) => p.address)).toEqual(['198.19.1.2', '198.19.1.3', '198.19.1.4']);
    expect(pods.map((p) => p.netns)).toEqual(['dktpo-vmB-p0', 'dktpo-vmB-p1', 'dktpo-vmB-p2']);
    for (const p of pods) expect(p.lxc).toMatch(/^lxc[0-9a-f]{12}$/);
    expect(new Set(pods.map((p) => p.lxc)).size).toBe(3);
    const batch = hostPodBatch(layout, 1);
    expect(batch).toContain(`route replace 198.19.1.3/32 dev ${pods[1]!.lxc} scope link`);
    expect(batch).toContain(`route replace 198.19.0.0/24 via ${layout.hosts[0]!.address} dev eth0`);
    expect(() => labLayout(ID, 2, 251)).toThrow(/--pods must be between 0 and 250/);
  });
});

describe.skipIf(!canRunLab())('lab with pods (real namespaces and traffic)', () => {
  beforeAll(async () => {
    await labUp({ id: ID, hosts: 2, pods: 3 });
  }, 120_000);
  afterAll(async () => {
    await labDown({ id: ID });
  }, 60_000);

  it('gives each host its pods, reachable from a pod on the other host', async () => {
    const s = await labStatus(ID);
    expect(s.up).toBe(true);
    expect(s.hosts.map((h) => [h.pods, h.podRange])).toEqual([
      [3, '198.19.0.0/24'],
      [3, '198.19.1.0/24'],
    ]);
    const layout = labLayout(ID, 2, 3);
    const [a0] = podsOf(layout, 0);
    const [, b1] = podsOf(layout, 1);
    // The host side is an lxc… veth in the host's namespace.
    const links = await execa('ip', ['-n', layout.hosts[1]!.netns, '-br', 'link']);
    expect(links.stdout).toContain(b1!.lxc);
    const server = execa(
      'ip',
      ['netns', 'exec', b1!.netns, 'iperf3', '-s', '-1', '-p', '5391', '-B', b1!.address],
      { reject: false },
    );
    try {
      let out = '';
      for (let i = 0; i < 50 && !out; i++) {
        const c = await execa(
          'ip',
          ['netns', 'exec', a0!.netns, 'iperf3', '-c', b1!.address, '-p', '5391', '-t', '1', '-J'],
          { reject: false },
        );
        if (c.exitCode === 0) out = c.stdout;
        else await new Promise((r) => setTimeout(r, 100));
      }
      const received = JSON.parse(out).end.sum_received.bytes as number;
      expect(received).toBeGreaterThan(1_000_000);
    } finally {
      server.kill();
      await server;
    }
    // Nothing outside the lab's range is routable from a pod.
    const outside = await execa(
      'ip',
      ['netns', 'exec', a0!.netns, 'ip', 'route', 'get', '192.0.2.1'],
      {
        reject: false,
      },
    );
    expect(outside.exitCode).not.toBe(0);
  }, 60_000);

  it('lab down removes every pod namespace and lxc', async () => {
    await labDown({ id: ID });
    const left = (await readdir('/run/netns').catch(() => [] as string[])).filter((n) =>
      n.startsWith(`${ID.prefix}-`),
    );
    expect(left).toEqual([]);
    expect((await labStatus(ID)).hosts).toEqual([]);
  }, 60_000);
});
