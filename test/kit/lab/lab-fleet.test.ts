import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHostList } from '../../../kit/fleet/read-host-list.js';
import { labInventory, labNodesFile } from '../../../kit/lab/host-lists.js';
import { impairTargets } from '../../../kit/lab/impair.js';
import { aliasFor, labIdFor, labLayout, MAX_LAB_HOSTS } from '../../../kit/lab/layout.js';
import { podRange } from '../../../kit/lab/pod-layout.js';
import { forEachLimited } from '../../../kit/lab/pool.js';
import type { LabState } from '../../../kit/lab/state.js';

// A lab of fleet size, pure: names, addresses and the host lists it writes.
const ID = labIdFor('fleet');

describe('lab layout at fleet scale (pure)', () => {
  const layout = labLayout(ID, 64);

  it('keeps vmA…vmZ, then numbers the hosts vm27…vm64', () => {
    expect(MAX_LAB_HOSTS).toBeGreaterThanOrEqual(64);
    const aliases = layout.hosts.map((h) => h.alias);
    expect(aliases.slice(0, 3)).toEqual(['vmA', 'vmB', 'vmC']);
    expect(aliases[25]).toBe('vmZ');
    expect(aliases.slice(26, 29)).toEqual(['vm27', 'vm28', 'vm29']);
    expect(aliases.at(-1)).toBe('vm64');
    expect(new Set(aliases).size).toBe(64);
    // The numbered ones sort by number.
    const numbered = aliases.slice(26);
    expect([...numbered].sort()).toEqual(numbered);
    // A small lab is what it always was.
    expect(labLayout(ID, 2).hosts.map((h) => h.alias)).toEqual(['vmA', 'vmB']);
    expect(() => aliasFor(64)).toThrow(/max 64/);
    expect(() => labLayout(ID, 65)).toThrow(/--hosts must be between 2 and 64/);
  });

  it('gives every host valid, unique names, addresses and MACs', () => {
    const unique = (f: (h: (typeof layout.hosts)[number]) => string) =>
      expect(new Set(layout.hosts.map(f)).size).toBe(64);
    for (const h of layout.hosts) {
      // Interface names: IFNAMSIZ is 16 with the NUL.
      expect(h.hostVeth.length).toBeLessThanOrEqual(15);
      expect(h.netns).toBe(`dkfle-${h.alias}`);
      expect(h.mac).toMatch(/^02:d1:[0-9a-f]{2}:00:00:[0-9a-f]{2}$/);
      expect(h.address).toMatch(/^198\.18\.88\.\d+$/);
      expect(Number(h.address.split('.')[3])).toBeLessThan(255);
    }
    expect(layout.bridge.length).toBeLessThanOrEqual(15);
    unique((h) => h.alias);
    unique((h) => h.hostVeth);
    unique((h) => h.mac);
    unique((h) => h.address);
    unique((h) => h.hostname);
    expect(layout.hosts[63]).toMatchObject({
      address: '198.18.88.74',
      mac: '02:d1:58:00:00:50',
      hostname: 'aks-nodepool1-31754206-vmss000063',
      hostVeth: 'dkfle-vm64',
    });
    expect(podRange(63)).toBe('198.19.63.0/24');
  });

  it('writes a nodes file and an Ansible inventory that kit/fleet reads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dk-lab-fleet-'));
    try {
      await writeFile(join(dir, 'nodes.txt'), labNodesFile(layout));
      await writeFile(join(dir, 'inventory.ini'), labInventory(layout));
      const nodes = await readHostList(join(dir, 'nodes.txt'), 'nodes');
      expect(nodes.map((n) => n.name)).toEqual(layout.hosts.map((h) => h.alias));
      expect(nodes.map((n) => n.host)).toEqual(layout.hosts.map((h) => h.alias));
      const inv = await readHostList(join(dir, 'inventory.ini'), 'inventory');
      expect(inv).toHaveLength(64);
      // With the group's key and ssh arguments, which a scan honours.
      const dir0 = layout.id.stateDir;
      expect(inv[63]).toEqual({
        name: 'vm64',
        host: '198.18.88.74',
        user: 'root',
        keyFile: `${dir0}/id_ed25519`,
        sshArgs: `-o IdentitiesOnly=yes -o UserKnownHostsFile=${dir0}/known_hosts -o StrictHostKeyChecking=yes`,
        groups: ['lab'],
      });
      expect(inv.map((h) => h.host)).toEqual(layout.hosts.map((h) => h.address));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const ini = labInventory(layout);
    expect(ini).toContain(`ansible_ssh_private_key_file=${ID.stateDir}/id_ed25519`);
    expect(ini).toContain(`UserKnownHostsFile=${ID.stateDir}/known_hosts`);
  });

  it('picks impair targets by alias, defaulting to the second host', () => {
    const state: LabState = { layout, createdAt: '', sshdPids: {}, sysctls: {}, rps: {} };
    expect(impairTargets(state).map((h) => h.alias)).toEqual(['vmB']);
    expect(impairTargets(state, ['vm40', 'vmC', 'vmC']).map((h) => h.alias)).toEqual([
      'vmC',
      'vm40',
    ]);
    expect(() => impairTargets(state, ['vmB', 'vm65', 'nope'])).toThrow(
      /no lab host "vm65", "nope"/,
    );
  });
});

describe('forEachLimited (how lab up starts its sshd)', () => {
  const tick = () => new Promise((r) => setTimeout(r, 1));

  it('runs every item, never more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await forEachLimited([...Array(20).keys()], 3, async (i) => {
      running++;
      most = Math.max(most, running);
      await tick();
      done.push(i);
      running--;
    });
    expect(most).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('stops starting after a failure, but lets those in flight finish first', async () => {
    const finished: number[] = [];
    let running = 0;
    await expect(
      forEachLimited([0, 1, 2, 3, 4, 5], 2, async (i) => {
        running++;
        await tick();
        running--;
        if (i === 1) throw new Error('sshd 1 failed');
        finished.push(i);
      }),
    ).rejects.toThrow('sshd 1 failed');
    expect(running).toBe(0);
    expect(finished).not.toContain(5);
  });
});
