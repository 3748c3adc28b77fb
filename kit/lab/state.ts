import { mkdir, readFile } from 'node:fs/promises';
import { writeAtomic } from '../atomic-write.js';
import type { LabLayout } from './layout.js';

// What the lab changed, so `down` and `impair --reset` restore exactly that.
export interface LabState {
  layout: LabLayout;
  createdAt: string;
  sshdPids: Record<string, number>;
  // Original values of every sysctl we changed, by name.
  sysctls: Record<string, string>;
  // Original RPS masks, keyed by `<netns> <path>`.
  rps: Record<string, string>;
}

export function statePath(dir: string): string {
  return `${dir}/state.json`;
}

export async function readState(dir: string): Promise<LabState | undefined> {
  try {
    return JSON.parse(await readFile(statePath(dir), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export async function writeState(dir: string, state: LabState): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // The lab's originals (sysctls, RPS masks): `lab down` restores from it after a crash.
  await writeAtomic(statePath(dir), JSON.stringify(state, null, 2), { mode: 0o600, replace: true });
}
