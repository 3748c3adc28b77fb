// One host of a fleet, from a nodes file or an Ansible inventory, and the merge
// of several mentions of the same name. Pure.

import { DropkitError } from '../errors.js';

export interface FleetHost {
  /** The name the list gives it (an inventory hostname, or the line of a nodes file). */
  name: string;
  /** What to connect to: ansible_host, else the name's host part. */
  host: string;
  user?: string;
  port?: number;
  /** ansible_ssh_private_key_file. */
  keyFile?: string;
  /** ansible_ssh_common_args then ansible_ssh_extra_args, as one string. */
  sshArgs?: string;
  /** Groups it belongs to, directly or through `children`, sorted; never `all`. */
  groups: string[];
}

/** The error of a malformed list: where, and what. */
export function listError(file: string, line: number | undefined, problem: string): DropkitError {
  return new DropkitError({
    code: 'USAGE',
    message: `${file}${line === undefined ? '' : `:${line}`}: ${problem}`,
    step: 'host list',
    hint: 'fix the line, or pass the hosts with --node',
  });
}

/**
 * One entry per name, in order of first mention. A later mention adds its groups;
 * its connection settings win, as a later definition of a host's variables does
 * in Ansible.
 */
export function dedupeHosts(hosts: readonly FleetHost[]): FleetHost[] {
  const byName = new Map<string, FleetHost>();
  for (const h of hosts) {
    const seen = byName.get(h.name);
    if (seen === undefined) {
      byName.set(h.name, { ...h, groups: [...h.groups] });
      continue;
    }
    seen.host = h.host;
    if (h.user !== undefined) seen.user = h.user;
    if (h.port !== undefined) seen.port = h.port;
    if (h.keyFile !== undefined) seen.keyFile = h.keyFile;
    if (h.sshArgs !== undefined) seen.sshArgs = h.sshArgs;
    seen.groups = [...new Set([...seen.groups, ...h.groups])];
  }
  for (const h of byName.values()) h.groups.sort();
  return [...byName.values()];
}
