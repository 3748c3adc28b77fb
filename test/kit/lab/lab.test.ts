import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { impair, resetImpairments } from '../../../kit/lab/impair.js';
import { labStatus, labUp } from '../../../kit/lab/lab.js';
import { canRunLab } from '../../lab-available.js';
import { inNetns, labState, TEST_LAB } from '../../lab-helpers.js';

describe.skipIf(!canRunLab())('lab (real namespaces and sshd)', () => {
  it('is up with two hosts whose hostnames differ from their aliases', async () => {
    const s = await labStatus(TEST_LAB);
    expect(s.up).toBe(true);
    expect(s.hosts.map((h) => h.alias)).toEqual(['vmA', 'vmB']);
    const state = await labState();
    for (const h of state.layout.hosts) {
      expect(h.address).toMatch(/^198\.1[89]\./);
      const r = await inNetns(h.netns, 'ip -o -4 addr show dev eth0');
      expect(r.stdout).toContain(`${h.address}/24`);
    }
    // Each host has its own UTS namespace: sshd's sessions see the host name.
    const cfg = await readFile(`${TEST_LAB.stateDir}/ssh_config`, 'utf8');
    expect(cfg).toContain('Host vmA');
    const ssh = await execa(
      'ssh',
      ['-F', `${TEST_LAB.stateDir}/ssh_config`, '-o', 'BatchMode=yes', 'vmB', 'hostname'],
      { reject: false },
    );
    expect(ssh.stdout.trim()).toBe('aks-nodepool1-31754206-vmss000001');
    expect((await execa('hostname')).stdout.trim()).not.toBe('aks-nodepool1-31754206-vmss000001');
  });

  it('fences 198.18.0.0/15 with an unreachable route, in the root namespace and in each host', async () => {
    expect((await execa('ip', ['route', 'show', 'type', 'unreachable'])).stdout).toContain(
      '198.18.0.0/15',
    );
    const state = await labState();
    const r = await inNetns(state.layout.hosts[0]!.netns, 'ip route get 198.19.7.7 2>&1 || true');
    expect(r.stdout).toMatch(/unreachable|No route/i);
  });

  it('up is idempotent: the same sshd processes keep running', async () => {
    const before = (await labState()).sshdPids;
    await labUp({ id: TEST_LAB, hosts: 2 });
    expect((await labState()).sshdPids).toEqual(before);
  });

  it('impair changes the backlog and the RPS mask, and reset restores both', async () => {
    const backlog = async () =>
      (await execa('sysctl', ['-n', 'net.core.netdev_max_backlog'])).stdout.trim();
    const state = await labState();
    const vmB = state.layout.hosts[1]!;
    const rps = async () =>
      (await inNetns(vmB.netns, 'cat /sys/class/net/eth0/queues/rx-0/rps_cpus')).stdout.trim();
    const origBacklog = await backlog();
    const origRps = await rps();
    try {
      await impair(state, { backlog: 10, rpsToCpu: 1 }, () => undefined);
      expect(await backlog()).toBe('10');
      expect(Number.parseInt(await rps(), 16)).toBe(2);
      // A second impair must not record 10 as the original.
      await impair(await labState(), { backlog: 20 }, () => undefined);
      expect((await labState()).sysctls['net.core.netdev_max_backlog']).toBe(origBacklog);
    } finally {
      await resetImpairments(await labState(), () => undefined);
    }
    expect(await backlog()).toBe(origBacklog);
    expect(await rps()).toBe(origRps);
    expect((await labState()).sysctls).toEqual({});
  });
});
