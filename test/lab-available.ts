import { existsSync } from 'node:fs';

// Lab tests need root and network namespaces. CI runs as root; a developer
// without root sees them reported as skipped, never as passed.
export function canRunLab(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/sbin/sshd');
}
