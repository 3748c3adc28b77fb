// The lab's hosts as the host lists a fleet command reads (kit/fleet): a
// nodes file of ssh aliases and an Ansible INI inventory, written beside the
// lab's ssh_config so a fleet of 64 hosts is one file away. Pure.
import type { LabLayout } from './layout.js';

export const NODES_FILE = 'nodes.txt';
export const INVENTORY_FILE = 'inventory.ini';

const header = (layout: LabLayout) =>
  `# Written by \`repro lab up\` (lab "${layout.id.name}"). Removed by \`repro lab down\`.`;

// Aliases, not addresses: dropkit resolves them through the lab's ssh_config
// while the lab is up, and so does `ssh -F <state dir>/ssh_config`.
export function labNodesFile(layout: LabLayout): string {
  return [
    header(layout),
    `# ssh aliases, resolved through ${layout.id.stateDir}/ssh_config`,
    ...layout.hosts.map((h) => h.alias),
    '',
  ].join('\n');
}

// Every host in `[lab]` with its address, so Ansible needs no ssh_config: the
// key and the lab's known_hosts come from the group's variables. The common
// args are one quoted value, which Ansible's INI plugin and kit/fleet both
// read as a single string.
export function labInventory(layout: LabLayout): string {
  const dir = layout.id.stateDir;
  return [
    header(layout),
    '[lab]',
    ...layout.hosts.map((h) => `${h.alias} ansible_host=${h.address} ansible_user=root`),
    '',
    '[lab:vars]',
    `ansible_ssh_private_key_file=${dir}/id_ed25519`,
    `ansible_ssh_common_args='-o IdentitiesOnly=yes -o UserKnownHostsFile=${dir}/known_hosts -o StrictHostKeyChecking=yes'`,
    '',
  ].join('\n');
}
