import { execa } from 'execa';
import { labIdFor } from '../kit/lab/layout.js';
import { startSshd } from '../kit/lab/sshd.js';
import { readState, writeState } from '../kit/lab/state.js';

export const TEST_LAB = labIdFor('test');
export const LAB_SSH_CONFIG = `${TEST_LAB.stateDir}/ssh_config`;

export async function labState() {
  const s = await readState(TEST_LAB.stateDir);
  if (!s) throw new Error('test lab is not up');
  return s;
}

export async function labHost(alias: string) {
  const h = (await labState()).layout.hosts.find((x) => x.alias === alias);
  if (!h) throw new Error(`no lab host ${alias}`);
  return h;
}

// Runs a command inside a lab host's namespace, directly (not over SSH).
export async function inNetns(netns: string, cmd: string) {
  return execa('ip', ['netns', 'exec', netns, 'sh', '-c', cmd], { reject: false });
}

// The sshd processes of a lab host (listener and sessions): all processes in
// its network namespace whose command is sshd.
export async function sshdPidsIn(netns: string): Promise<number[]> {
  const pids = (await execa('ip', ['netns', 'pids', netns], { reject: false })).stdout
    .split(/\s+/)
    .filter(Boolean);
  const out: number[] = [];
  for (const p of pids) {
    const comm = (await execa('cat', [`/proc/${p}/comm`], { reject: false })).stdout.trim();
    if (comm === 'sshd' || comm.startsWith('sshd')) out.push(Number(p));
  }
  return out;
}

// Brings a lab host's sshd back after a test killed it.
export async function restartSshd(alias: string): Promise<void> {
  const state = await labState();
  const host = state.layout.hosts.find((h) => h.alias === alias)!;
  for (const p of await sshdPidsIn(host.netns)) process.kill(p, 'SIGKILL');
  state.sshdPids[alias] = await startSshd(TEST_LAB.stateDir, host);
  await writeState(TEST_LAB.stateDir, state);
}

// Every process in a lab host's namespace that is not its sshd listener.
export async function strayProcesses(alias: string): Promise<string[]> {
  const state = await labState();
  const host = state.layout.hosts.find((h) => h.alias === alias)!;
  const pids = (await execa('ip', ['netns', 'pids', host.netns], { reject: false })).stdout
    .split(/\s+/)
    .filter(Boolean);
  const out: string[] = [];
  for (const p of pids) {
    if (Number(p) === state.sshdPids[alias]) continue;
    const cmd = (await execa('cat', [`/proc/${p}/cmdline`], { reject: false })).stdout
      .replaceAll('\0', ' ')
      .trim();
    if (cmd) out.push(`${p} ${cmd}`);
  }
  return out;
}

// Resolves once the iperf3 client runs on the sender: the run is past its
// preflight and snapshots. A fault test that waited a fixed time instead cut
// the link during the preflight on a loaded machine (exit 5, no bundle).
export async function trafficFlows(sender = 'vmA', timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await strayProcesses(sender)).some((p) => / iperf3 .*-c /.test(` ${p} `))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no iperf3 client on ${sender} within ${timeoutMs} ms`);
}
