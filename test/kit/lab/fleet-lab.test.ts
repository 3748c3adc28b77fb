import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHostList } from '../../../kit/fleet/read-host-list.js';
import { resetImpairments } from '../../../kit/lab/impair.js';
import { labDown, labStatus, labUp } from '../../../kit/lab/lab.js';
import { labIdFor } from '../../../kit/lab/layout.js';
import { netnsList } from '../../../kit/lab/netns.js';
import { readState } from '../../../kit/lab/state.js';
import { cli } from '../../cli-helpers.js';
import { canRunLab } from '../../lab-available.js';

// A lab of its own at fleet scale: 16 hosts, their host lists, and RPS
// steered on a chosen subset. Only per-host RPS masks are changed here,
// never net.core.netdev_max_backlog: that one is the machine's, and other
// lab tests may run on this machine at the same time.
// "fleets", not "fleet": that one shares its subnet with a lab named "pods".
const ID = labIdFor('fleets');
const HOSTS = 16;
const TARGETS = ['vmC', 'vmH', 'vmP'];

const state = async () => {
  const s = await readState(ID.stateDir);
  if (!s) throw new Error('fleet lab is not up');
  return s;
};

const rps = async (netns: string) =>
  (
    await execa('ip', ['netns', 'exec', netns, 'cat', '/sys/class/net/eth0/queues/rx-0/rps_cpus'])
  ).stdout.trim();

describe.skipIf(!canRunLab())('lab of 16 hosts (real namespaces and sshd)', () => {
  beforeAll(async () => {
    await labDown({ id: ID }).catch(() => undefined);
    await labUp({ id: ID, hosts: HOSTS });
  }, 180_000);
  afterAll(async () => {
    // labDown restores the RPS masks first; a reset before it covers a down that fails.
    const s = await readState(ID.stateDir);
    if (s) await resetImpairments(s, () => undefined).catch(() => undefined);
    await labDown({ id: ID });
  }, 120_000);

  it('is up with every host, and lists them in a nodes file and an inventory', async () => {
    const s = await labStatus(ID);
    expect(s.up).toBe(true);
    expect(s.hosts).toHaveLength(HOSTS);
    expect(s.hosts.every((h) => h.netns && h.sshd)).toBe(true);
    expect(s.nodesFile).toBe(`${ID.stateDir}/nodes.txt`);
    expect(s.inventory).toBe(`${ID.stateDir}/inventory.ini`);
    const nodes = await readHostList(s.nodesFile!, 'nodes');
    expect(nodes.map((n) => n.name)).toEqual(s.hosts.map((h) => h.alias));
    const inv = await readHostList(s.inventory!, 'inventory');
    expect(inv.map((h) => [h.name, h.host, h.user])).toEqual(
      s.hosts.map((h) => [h.alias, h.address, 'root']),
    );
  });

  it('reaches the last host over SSH', async () => {
    const ssh = await execa(
      'ssh',
      ['-F', `${ID.stateDir}/ssh_config`, '-o', 'BatchMode=yes', 'vmP', 'hostname'],
      { reject: false },
    );
    expect(ssh.exitCode, ssh.stderr).toBe(0);
    expect(ssh.stdout.trim()).toBe('aks-nodepool1-31754206-vmss000015');
  });

  it('steers RPS on exactly the hosts named, and reset restores them', async () => {
    const before = await state();
    const original = new Map<string, string>();
    for (const h of before.layout.hosts) original.set(h.alias, await rps(h.netns));
    // Both forms of --host: comma-separated and repeated.
    const r = await cli(
      'repro',
      ['lab', 'impair', '--rps-to-cpu', '1', '--host', 'vmC,vmH', '--host', 'vmP'],
      { DROPKIT_LAB: ID.name },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('vmP eth0 rx-0 rps_cpus');
    const after = await state();
    for (const h of after.layout.hosts) {
      const mask = await rps(h.netns);
      if (TARGETS.includes(h.alias)) expect(Number.parseInt(mask, 16), h.alias).toBe(2);
      else expect(mask, h.alias).toBe(original.get(h.alias));
    }
    expect(Object.keys(after.rps).map((k) => k.split(' ')[0])).toEqual(
      TARGETS.map((a) => `${ID.prefix}-${a}`),
    );
    expect(after.sysctls).toEqual({});
    const reset = await cli('repro', ['lab', 'impair', '--reset'], { DROPKIT_LAB: ID.name });
    expect(reset.exitCode, reset.stderr).toBe(0);
    for (const h of after.layout.hosts) expect(await rps(h.netns)).toBe(original.get(h.alias));
    expect((await state()).rps).toEqual({});
  });

  it('lab down removes every namespace, sshd and file', async () => {
    await labDown({ id: ID });
    expect((await netnsList()).filter((n) => n.startsWith(`${ID.prefix}-`))).toEqual([]);
    expect(existsSync(ID.stateDir)).toBe(false);
    const left = await execa('pgrep', ['-f', ID.stateDir], { reject: false });
    expect(left.stdout.trim()).toBe('');
  }, 60_000);
});
