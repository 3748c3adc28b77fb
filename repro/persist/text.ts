// Shared text: the mark every generated file carries (rollback removes a file
// only while it still carries it), the install paths, and the guards that keep
// bundle data from breaking out of a config line or a shell word.

import { ETHTOOL_BIN, SYSCTL_FILE } from '../../collectors/diagnosis/advice/text.js';

export const MARK = 'Written by dropkit';
// The diagnosis prints these same paths and udev matches (its advice/text.ts).
export const SYSCTL_PATH = SYSCTL_FILE;
export const UDEV_PATH = '/etc/udev/rules.d/90-dropkit-ring.rules';
export const ETHTOOL = ETHTOOL_BIN;

// Bundle text (a host name, a `because`) goes into comments: one line, no
// control characters, so it can never start a config line of its own.
export function oneLine(s: string, max = 200): string {
  const flat = s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// Driver and interface names are written into udev rules, .link files, YAML
// and shell scripts. Only the characters real ones use are accepted.
export function isSafeDriver(s: string): boolean {
  return /^[A-Za-z0-9_.-]{1,32}$/.test(s);
}
// IFNAMSIZ is 16 with the NUL.
export function isSafeIface(s: string): boolean {
  return /^[A-Za-z0-9_.@:-]{1,15}$/.test(s);
}

export function hashComments(lines: readonly string[]): string {
  return lines.map((l) => (l ? `# ${l}` : '#')).join('\n');
}

// `etc/sysctl.d/90-dropkit.conf` for `/etc/sysctl.d/90-dropkit.conf`.
export function relative(abs: string): string {
  return abs.replace(/^\/+/, '');
}
