import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { DropkitError } from '../errors.js';
import { currentLabId, STATE_ROOT } from './current.js';
import { INVENTORY_FILE, labInventory, labNodesFile, NODES_FILE } from './host-lists.js';
import { restoreImpairments } from './impair.js';
import { clientSshConfig, type LabId, type LabLayout, labLayout } from './layout.js';
import { buildNetwork, linkExists, netnsList, pidAlive, removeNetwork } from './netns.js';
import { podRange, podsOf } from './pod-layout.js';
import { buildPods, removePods } from './pod-net.js';
import { forEachLimited } from './pool.js';
import { ensureKey, LAB_RECORD_DIR, prepareSshd, startSshd, writeKnownHosts } from './sshd.js';
import { type LabState, readState, writeState } from './state.js';
import { sys, which } from './sys.js';

const REQUIRED_TOOLS: Record<string, string> = {
  ip: 'iproute2',
  sshd: 'openssh-server',
  'ssh-keygen': 'openssh-client',
  unshare: 'util-linux',
  iperf3: 'iperf3',
  ethtool: 'ethtool',
  // The lab's sudo user (user.ts).
  sudo: 'sudo',
};

// sshd started at once by `lab up`: one per CPU. Starting a host is CPU
// work (key generation, namespaces, mounts, sshd's own start), so more at
// once only contend: on 2 CPUs, 16 at once was slower than 2.
const SSHD_PARALLEL = Math.min(8, Math.max(2, availableParallelism()));

async function preflight(): Promise<void> {
  if (process.platform !== 'linux') {
    throw new DropkitError({
      code: 'NO_NAMESPACES',
      message: 'the lab needs Linux network namespaces',
      step: 'lab',
      hint: 'run it on a Linux machine',
    });
  }
  if (process.getuid?.() !== 0) {
    throw new DropkitError({
      code: 'NOT_ROOT',
      message: 'the lab needs root to create network namespaces',
      step: 'lab',
      hint: 'run `sudo repro lab up`',
    });
  }
  const missing: string[] = [];
  for (const [tool, pkg] of Object.entries(REQUIRED_TOOLS)) {
    const found = tool === 'sshd' ? existsSync('/usr/sbin/sshd') : await which(tool);
    if (!found) missing.push(pkg);
  }
  if (missing.length) {
    throw new DropkitError({
      code: 'TOOL_MISSING',
      message: `the lab needs ${[...new Set(missing)].join(', ')}`,
      step: 'lab',
      hint: `apt-get install -y ${[...new Set(missing)].join(' ')}   (or run scripts/install-deps.sh)`,
    });
  }
}

export interface LabStatus {
  name: string;
  up: boolean;
  stateDir: string;
  sshConfig?: string;
  // The hosts as a nodes file (one alias a line) and as an Ansible INI
  // inventory (host-lists.ts), for fleet commands and Ansible.
  nodesFile?: string;
  inventory?: string;
  hosts: Array<{
    alias: string;
    hostname: string;
    address: string;
    netns: boolean;
    sshd: boolean;
    // The pods present (pod-layout.ts), and the range their addresses come from.
    pods: number;
    podRange?: string;
  }>;
  impairments: { sysctls: Record<string, string>; rps: Record<string, string> };
}

export async function labStatus(id = currentLabId()): Promise<LabStatus> {
  const state = await readState(id.stateDir);
  if (!state)
    return {
      name: id.name,
      up: false,
      stateDir: id.stateDir,
      hosts: [],
      impairments: { sysctls: {}, rps: {} },
    };
  const ns = new Set(await netnsList());
  const hosts = [];
  for (const [i, h] of state.layout.hosts.entries()) {
    const pods = podsOf(state.layout, i);
    hosts.push({
      alias: h.alias,
      hostname: h.hostname,
      address: h.address,
      netns: ns.has(h.netns),
      sshd: await pidAlive(state.sshdPids[h.alias], 'sshd'),
      pods: pods.filter((p) => ns.has(p.netns)).length,
      ...(pods.length ? { podRange: podRange(i) } : {}),
    });
  }
  const podsUp = hosts.every((h) => h.pods === (state.layout.podsPerHost ?? 0));
  return {
    name: id.name,
    up: hosts.every((h) => h.netns && h.sshd) && podsUp && (await linkExists(state.layout.bridge)),
    stateDir: id.stateDir,
    sshConfig: `${id.stateDir}/ssh_config`,
    nodesFile: `${id.stateDir}/${NODES_FILE}`,
    inventory: `${id.stateDir}/${INVENTORY_FILE}`,
    hosts,
    impairments: { sysctls: state.sysctls, rps: state.rps },
  };
}

export async function labUp(
  opts: { hosts?: number; pods?: number; id?: LabId; log?: (l: string) => void } = {},
): Promise<LabStatus> {
  const id = opts.id ?? currentLabId();
  const log = opts.log ?? (() => undefined);
  await preflight();
  const existing = await labStatus(id);
  const wanted = opts.hosts ?? (existing.hosts.length || 2);
  // Like --hosts: a lab already up keeps its pods unless asked otherwise.
  const pods = opts.pods ?? (existing.hosts[0]?.pods || 0);
  if (existing.up && existing.hosts.length === wanted && existing.hosts[0]?.pods === pods) {
    log(`lab "${id.name}" is already up`);
    // A lab made before the host lists existed gets them now.
    const state = await readState(id.stateDir);
    if (state) await writeHostLists(id.stateDir, state.layout);
    return existing;
  }
  await refuseSharedSubnet(id);
  // A half-built or differently sized lab is rebuilt from scratch.
  if (existing.hosts.length) await labDown({ id, log });
  const layout = labLayout(id, wanted, pods);
  const dir = id.stateDir;
  await mkdir(dir, { recursive: true, mode: 0o711 });
  // sshd reads authorized_keys as the logging-in user: non-root lab logins
  // (tests of the sudo path) need to traverse, not list, the state dir.
  await chmod(STATE_ROOT, 0o711);
  await chmod(dir, 0o711);
  const state: LabState = {
    layout,
    createdAt: new Date().toISOString(),
    sshdPids: {},
    sysctls: {},
    rps: {},
  };
  // Written first, so a failure halfway can still be cleaned up by `down`.
  await writeState(dir, state);
  try {
    log(`creating bridge ${layout.bridge} and ${wanted} namespaces`);
    await buildNetwork(layout);
    await buildPods(layout, log);
    const clientPub = await ensureKey(`${dir}/id_ed25519`, 'dropkit-lab-client');
    await writeFile(`${dir}/authorized_keys`, `${clientPub}\n`, { mode: 0o644 });
    const shared = await prepareSshd(dir);
    // A few at a time, each pid recorded as soon as its sshd runs, one state
    // write after another.
    let saved = Promise.resolve();
    await forEachLimited(layout.hosts, SSHD_PARALLEL, async (h) => {
      log(`starting sshd for ${h.alias} (${h.hostname}) at ${h.address}`);
      state.sshdPids[h.alias] = await startSshd(dir, h, shared);
      saved = saved.then(() => writeState(dir, state));
      await saved;
    });
    await writeKnownHosts(dir, layout);
    await writeFile(`${dir}/ssh_config`, clientSshConfig(dir, layout), { mode: 0o600 });
    await writeHostLists(dir, layout);
  } catch (e) {
    await labDown({ id }).catch(() => undefined);
    throw e instanceof DropkitError
      ? e
      : new DropkitError({
          code: 'LAB_FAILED',
          message: (e as Error).message,
          step: 'lab up',
          cause: e,
        });
  }
  return labStatus(id);
}

async function writeHostLists(dir: string, layout: LabLayout): Promise<void> {
  await writeFile(`${dir}/${NODES_FILE}`, labNodesFile(layout), { mode: 0o644 });
  await writeFile(`${dir}/${INVENTORY_FILE}`, labInventory(layout), { mode: 0o600 });
}

// Lab names hash to one of 200 subnets, so two names can share one ("fleet"
// and "pods" both get 198.18.88.0/24). Two labs up on one subnet would answer
// for each other's addresses: the second is refused, with the one in the way.
async function refuseSharedSubnet(id: LabId): Promise<void> {
  for (const e of await readdir(STATE_ROOT).catch(() => [] as string[])) {
    if (!e.startsWith('lab-') || `${STATE_ROOT}/${e}` === id.stateDir) continue;
    const other = await readState(`${STATE_ROOT}/${e}`);
    if (other?.layout.id.octet !== id.octet) continue;
    throw new DropkitError({
      code: 'LAB_FAILED',
      message: `lab "${other.layout.id.name}" is up on 198.18.${id.octet}.0/24, the subnet of lab "${id.name}"`,
      step: 'lab up',
      hint: `take it down first (DROPKIT_LAB=${other.layout.id.name} repro lab down), or use another DROPKIT_LAB name`,
    });
  }
}

async function otherLabsUp(id: LabId): Promise<boolean> {
  const entries = await readdir(STATE_ROOT).catch(() => [] as string[]);
  return entries.some(
    (e) =>
      e.startsWith('lab-') &&
      `${STATE_ROOT}/${e}` !== id.stateDir &&
      existsSync(`${STATE_ROOT}/${e}/state.json`),
  );
}

// A `repro mitigate --apply` left on a lab host (a test that failed, a
// user's try): its recorded rollback sets the values back (netdev_max_backlog
// is the machine's own). It runs in the host's network namespace, as the
// script requires; the files it would remove were in the host's own /etc,
// which goes with the lab's state.
async function rollbackMitigations(
  stateDir: string,
  state: LabState,
  log: (l: string) => void,
): Promise<void> {
  for (const host of state.layout.hosts) {
    const dir = `${stateDir}/${host.alias}/var-lib-dropkit`;
    const records = (await readdir(dir).catch(() => [] as string[])).filter((f) =>
      /^mitigate-\d+\.sh$/.test(f),
    );
    for (const f of records) {
      log(`rolling back repro mitigate on ${host.alias}`);
      await sys('ip', ['netns', 'exec', host.netns, 'sh', `${dir}/${f}`]).catch((e: unknown) =>
        log(`${host.alias}: the rollback failed: ${(e as Error).message}`),
      );
    }
  }
}

export async function labDown(
  opts: { id?: LabId; log?: (l: string) => void } = {},
): Promise<{ removed: boolean }> {
  const id = opts.id ?? currentLabId();
  const log = opts.log ?? (() => undefined);
  const state = await readState(id.stateDir);
  if (!state) {
    log(`lab "${id.name}" is not up`);
    return { removed: false };
  }
  // Restore first: the RPS masks live inside the namespaces we are about to delete.
  await restoreImpairments(state, log);
  await rollbackMitigations(id.stateDir, state, log);
  for (const [alias, pid] of Object.entries(state.sshdPids)) {
    if (await pidAlive(pid, 'sshd')) {
      log(`stopping sshd for ${alias}`);
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  }
  await removePods(state.layout);
  await removeNetwork(state.layout, await otherLabsUp(id));
  await rm(id.stateDir, { recursive: true, force: true });
  // The folder the hosts' own /var/lib/dropkit was mounted on, when no other
  // lab uses it and it is empty (rmdir refuses anything else).
  if (!(await otherLabsUp(id))) await rmdir(LAB_RECORD_DIR).catch(() => undefined);
  log(`lab "${id.name}" removed`);
  return { removed: true };
}
