// An Ansible inventory in either format. Ansible tries its plugins in turn; a
// file's name and its first line are enough to tell the two apart here: a
// `.yml`/`.yaml`/`.json` file is YAML, a `[section]` or a `key=value` first
// line is INI, and a first line that is a YAML key (`all:`) is YAML. Pure.

import { parseAnsibleIni } from './ansible-ini.js';
import { parseAnsibleYaml } from './ansible-yaml.js';
import type { FleetHost } from './fleet-host.js';

export type InventoryFormat = 'ini' | 'yaml';

export function inventoryFormat(text: string, file: string): InventoryFormat {
  if (/\.(ya?ml|json)$/i.test(file)) return 'yaml';
  if (/\.ini$/i.test(file)) return 'ini';
  const first = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#') && !l.startsWith(';'));
  if (first === undefined) return 'ini';
  if (first === '---' || first.startsWith('{')) return 'yaml';
  // `all:` or `webservers:` alone on the line opens a YAML mapping; an INI
  // host line never ends with a colon.
  return /^[^\s[=]+:$/.test(first) ? 'yaml' : 'ini';
}

export function parseInventory(text: string, file: string): FleetHost[] {
  return inventoryFormat(text, file) === 'yaml'
    ? parseAnsibleYaml(text, file)
    : parseAnsibleIni(text, file);
}
