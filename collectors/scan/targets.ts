import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DropkitError } from '../../kit/errors.js';
import { fleetSshConfig } from '../../kit/fleet/host-config.js';
import { readHostList } from '../../kit/fleet/read-host-list.js';
import { loadConnectionConfig } from '../../kit/ssh/config-load.js';
import type { ScanTarget } from './scan-node.js';
import { sshConfigHosts } from './ssh-config-hosts.js';

// Where a scan's nodes come from: --node, a nodes file, an Ansible inventory,
// or the ssh config's own Host entries; several at once are merged, each name
// once. An inventory's connection settings become a generated ssh config,
// read before any other (fleet/host-config.ts) and removed at the end.

export interface TargetSources {
  nodes: string[];
  nodesFile?: string;
  inventory?: string;
  sshConfigHosts?: string;
  /** The ssh config files the run reads (--ssh-config, the lab's). */
  sshConfig: string[];
}

export interface ScanTargets {
  targets: ScanTarget[];
  /** A config file to read first, while the scan runs; `cleanup` removes it. */
  configFile?: string;
  warnings: string[];
  cleanup(): Promise<void>;
}

export async function scanTargets(src: TargetSources): Promise<ScanTargets> {
  const targets: ScanTarget[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const add = (name: string, spec: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    targets.push({ name, spec });
  };
  for (const n of src.nodes) add(n, n);
  if (src.nodesFile)
    for (const h of await readHostList(src.nodesFile, 'nodes')) add(h.name, h.name);
  let configFile: string | undefined;
  let dir: string | undefined;
  if (src.inventory) {
    const hosts = await readHostList(src.inventory, 'inventory');
    const config = fleetSshConfig(hosts);
    warnings.push(...config.warnings.map((w) => `${src.inventory}: ${w}`));
    for (const h of hosts) add(h.name, config.specs.get(h.name) ?? h.name);
    // Private to this run: it names key files and hosts.
    dir = await mkdtemp(join(tmpdir(), 'dropkit-scan-'));
    configFile = join(dir, 'inventory.ssh_config');
    await writeFile(configFile, config.text, { mode: 0o600 });
  }
  if (src.sshConfigHosts) {
    const { configs } = await loadConnectionConfig(src.sshConfig);
    const names = sshConfigHosts(configs, src.sshConfigHosts);
    if (!names.length) {
      if (dir) await rm(dir, { recursive: true, force: true });
      throw new DropkitError({
        code: 'USAGE',
        message: `no Host entry of the ssh config matches "${src.sshConfigHosts}"`,
        step: 'host list',
        hint: 'give a pattern such as "web-*" or "vm*"; entries with wildcards are never scanned',
      });
    }
    for (const n of names) add(n, n);
  }
  return {
    targets,
    ...(configFile ? { configFile } : {}),
    warnings,
    cleanup: async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
