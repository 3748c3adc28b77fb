import { execa } from 'execa';
import { labIdFor } from '../kit/lab/layout.js';
import { readState } from '../kit/lab/state.js';

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
