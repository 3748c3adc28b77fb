import { existsSync } from 'node:fs';
import { type LabId, labIdFor } from './layout.js';

// Which lab this process means, and its ssh_config while it is up. Kept apart
// from lab.ts: every CLI run asks this (so `vmA` resolves), and lab.ts pulls
// in the process tooling that only `lab up`/`down` need.

export const STATE_ROOT = '/run/dropkit';

// DROPKIT_LAB selects a lab by name; the test suite uses its own.
export function currentLabId(): LabId {
  return labIdFor(process.env['DROPKIT_LAB'] || 'default', STATE_ROOT);
}

// The ssh_config of the current lab while it is up, so `vmA` resolves.
export function activeLabSshConfig(): string | undefined {
  const file = `${currentLabId().stateDir}/ssh_config`;
  return existsSync(file) ? file : undefined;
}
