import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { cpuMask } from '../cpu-mask.js';
import { DropkitError } from '../errors.js';
import type { LabHost } from './layout.js';
import type { LabState } from './state.js';
import { writeState } from './state.js';
import { sys } from './sys.js';

// Reproduces the host-backlog story: a tiny netdev_max_backlog and RPS that
// steers the receiver's packets to another CPU's backlog queue.

const BACKLOG = 'net.core.netdev_max_backlog';
const sysctlPath = (name: string) => `/proc/sys/${name.replace(/\./g, '/')}`;
const RPS_PATH = '/sys/class/net/eth0/queues/rx-0/rps_cpus';

export interface ImpairOptions {
  backlog?: number;
  rpsToCpu?: number;
  // The receiving hosts (aliases) whose RPS is steered; defaults to the
  // second host, vmB. The backlog is the machine's, whatever the hosts.
  hosts?: readonly string[];
}

async function readSysctl(name: string): Promise<string> {
  return (await readFile(sysctlPath(name), 'utf8')).trim();
}

async function writeSysctl(name: string, value: string): Promise<void> {
  await writeFile(sysctlPath(name), `${value}\n`);
}

async function readRps(netns: string): Promise<string> {
  return (await sys('ip', ['netns', 'exec', netns, 'cat', RPS_PATH])).stdout.trim();
}

async function writeRps(netns: string, mask: string): Promise<void> {
  await sys('ip', ['netns', 'exec', netns, 'sh', '-c', `echo "$1" > ${RPS_PATH}`, 'sh', mask]);
}

export async function impair(
  state: LabState,
  opts: ImpairOptions,
  log: (l: string) => void,
): Promise<void> {
  const targets = impairTargets(state, opts.hosts);
  if (opts.backlog !== undefined) {
    if (!Number.isInteger(opts.backlog) || opts.backlog < 1)
      throw new DropkitError({
        code: 'USAGE',
        message: '--backlog must be a positive integer',
        step: 'lab impair',
      });
    // Record the original once: a second impair must not make 10 the "original".
    state.sysctls[BACKLOG] ??= await readSysctl(BACKLOG);
    await writeState(stateDirOf(state), state);
    await writeSysctl(BACKLOG, String(opts.backlog));
    log(
      `${BACKLOG} = ${opts.backlog} (was ${state.sysctls[BACKLOG]}; machine-wide: namespaces share one kernel)`,
    );
  }
  if (opts.rpsToCpu !== undefined) {
    const n = cpus().length;
    if (!Number.isInteger(opts.rpsToCpu) || opts.rpsToCpu < 0 || opts.rpsToCpu >= n) {
      throw new DropkitError({
        code: 'USAGE',
        message: `--rps-to-cpu must be between 0 and ${n - 1}`,
        step: 'lab impair',
      });
    }
    const mask = cpuMask(opts.rpsToCpu);
    // Each host's mask is its own (its eth0 lives in its namespace), and its
    // original is recorded before it changes.
    for (const host of targets) {
      const key = `${host.netns} ${RPS_PATH}`;
      state.rps[key] ??= await readRps(host.netns);
      await writeState(stateDirOf(state), state);
      await writeRps(host.netns, mask);
      log(`${host.alias} eth0 rx-0 rps_cpus = ${mask} (CPU ${opts.rpsToCpu})`);
    }
  }
}

// The hosts named (each once, in the lab's order), all checked before
// anything changes; none named means the second host, the usual receiver.
export function impairTargets(state: LabState, aliases?: readonly string[]): LabHost[] {
  const hosts = state.layout.hosts;
  const wanted = aliases?.length ? aliases : [hosts[1]?.alias ?? 'vmB'];
  const unknown = wanted.filter((a) => !hosts.some((h) => h.alias === a));
  if (unknown.length)
    throw new DropkitError({
      code: 'USAGE',
      message: `no lab host ${unknown.map((a) => `"${a}"`).join(', ')}`,
      step: 'lab impair',
      hint: `the lab's hosts: ${hosts[0]?.alias}…${hosts.at(-1)?.alias} (repro lab status)`,
    });
  return hosts.filter((h) => wanted.includes(h.alias));
}

export async function restoreImpairments(state: LabState, log: (l: string) => void): Promise<void> {
  for (const [name, value] of Object.entries(state.sysctls)) {
    await writeSysctl(name, value).catch(() => undefined);
    log(`restored ${name} = ${value}`);
  }
  for (const [key, mask] of Object.entries(state.rps)) {
    const [netns] = key.split(' ');
    await writeRps(netns!, mask).catch(() => undefined);
    log(`restored ${netns} rps_cpus = ${mask}`);
  }
  state.sysctls = {};
  state.rps = {};
}

export async function resetImpairments(state: LabState, log: (l: string) => void): Promise<void> {
  await restoreImpairments(state, log);
  await writeState(stateDirOf(state), state);
}

function stateDirOf(state: LabState): string {
  return state.layout.id.stateDir;
}
