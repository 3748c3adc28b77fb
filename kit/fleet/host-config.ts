// A fleet's hosts as ssh_config text: each inventory host becomes a `Host`
// alias of its own name, carrying what the inventory says (ansible_host as
// HostName, user, port, key file, ssh arguments). The file is read before any
// other config, as Ansible's command-line options come before the user's
// config: the inventory wins, and the user's config still adds what it does
// not say (a ProxyJump for `Host *.internal`, say). Pure.

import type { FleetHost } from './fleet-host.js';
import { sshArgSettings } from './ssh-args.js';

export interface FleetSshConfig {
  text: string;
  /** What to connect to, per host name: the alias, or `user@host:port` for a name that cannot be one. */
  specs: Map<string, string>;
  /** Arguments no setting stands for, per host: for the user to see. */
  warnings: string[];
}

// A name that ssh_config would read as a pattern (or split) cannot be an alias.
const PATTERN_CHARS = /[\s*?!,"'#=]/;

const quoted = (v: string) => (/\s/.test(v) ? `"${v}"` : v);

// Whether the list says anything ssh does not already know from the name.
export function needsHostBlock(h: FleetHost): boolean {
  return (
    h.host !== h.name ||
    h.user !== undefined ||
    h.port !== undefined ||
    h.keyFile !== undefined ||
    h.sshArgs !== undefined
  );
}

export function fleetSshConfig(hosts: readonly FleetHost[]): FleetSshConfig {
  const out: string[] = ['# Written by dropkit from a host list, for this run only.'];
  const warnings: string[] = [];
  const specs = new Map<string, string>();
  const argsSeen = new Map<string, ReturnType<typeof sshArgSettings>>();
  for (const h of hosts) {
    specs.set(h.name, h.name);
    if (!needsHostBlock(h)) continue;
    if (PATTERN_CHARS.test(h.name)) {
      const host = h.host.includes(':') ? `[${h.host}]` : h.host;
      specs.set(h.name, `${h.user ? `${h.user}@` : ''}${host}${h.port ? `:${h.port}` : ''}`);
      if (h.keyFile !== undefined || h.sshArgs !== undefined)
        warnings.push(
          `${h.name}: the name cannot be an ssh alias: its key file and ssh arguments are not used`,
        );
      continue;
    }
    out.push(`Host ${h.name}`, `  HostName ${h.host}`);
    if (h.user !== undefined) out.push(`  User ${h.user}`);
    if (h.port !== undefined) out.push(`  Port ${h.port}`);
    if (h.keyFile !== undefined) out.push(`  IdentityFile ${quoted(h.keyFile)}`);
    if (h.sshArgs !== undefined) {
      let settings = argsSeen.get(h.sshArgs);
      if (settings === undefined) {
        settings = sshArgSettings(h.sshArgs);
        argsSeen.set(h.sshArgs, settings);
        if (settings.ignored.length)
          warnings.push(
            `ssh arguments not used (not settings): ${settings.ignored.join(' ')} (in "${h.sshArgs}")`,
          );
      }
      for (const l of settings.lines) out.push(`  ${l}`);
    }
  }
  return { text: `${out.join('\n')}\n`, specs, warnings };
}
