import { execa } from 'execa';

// Runs the built CLI as a user would, against the test lab.
export function cli(bin: 'repro' | 'collect', args: string[], env: Record<string, string> = {}) {
  return execa('node', [`dist/bin/${bin}.js`, ...args], {
    reject: false,
    env: { DROPKIT_LAB: 'test', ...env },
  });
}
