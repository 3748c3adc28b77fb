// What both inventory formats (INI and YAML) fill in: groups with their hosts,
// children and variables, and each host's own variables. Only the connection
// variables are kept (ansible_host, ansible_user, ansible_port, the private
// key file and the ssh arguments, and their old ansible_ssh_* names). `build` applies Ansible's precedence: a host's own
// variables over its groups', a child group's over its parent's, and among
// groups of one depth the later name. Pure.

import { dedupeHosts, type FleetHost, listError } from './fleet-host.js';
import { shellWords } from './ssh-args.js';

export interface ConnectionVars {
  host?: string;
  user?: string;
  port?: number;
  keyFile?: string;
  /** ansible_ssh_common_args, as one string of ssh arguments. */
  commonArgs?: string;
  /** ansible_ssh_extra_args, added after the common ones. */
  extraArgs?: string;
}

interface Group {
  hosts: string[];
  children: Set<string>;
  vars: ConnectionVars;
  /** Where it was first named, for a loop's error. */
  line: number;
}

const KEYS = new Map<string, keyof ConnectionVars>([
  ['ansible_host', 'host'],
  ['ansible_ssh_host', 'host'],
  ['ansible_user', 'user'],
  ['ansible_ssh_user', 'user'],
  ['ansible_port', 'port'],
  ['ansible_ssh_port', 'port'],
  ['ansible_ssh_private_key_file', 'keyFile'],
  ['ansible_private_key_file', 'keyFile'],
  ['ansible_ssh_common_args', 'commonArgs'],
  ['ansible_ssh_extra_args', 'extraArgs'],
]);

/**
 * Adds one variable to `into` if it is a connection variable; returns a problem
 * (a bad port, a host that is not text) or undefined.
 */
export function connectionVar(
  into: ConnectionVars,
  key: string,
  value: unknown,
): string | undefined {
  const field = KEYS.get(key);
  if (field === undefined) return undefined;
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || text === '') return `${key} must be a non-empty value`;
  if (field === 'port') {
    const port = /^\d{1,5}$/.test(text) ? Number(text) : 0;
    if (port < 1 || port > 65535) return `${key} "${text}" is not a port between 1 and 65535`;
    into.port = port;
  } else if (field === 'commonArgs' || field === 'extraArgs') {
    // Several arguments in one value, split as the shell splits them (ssh-args.ts).
    try {
      shellWords(text);
    } catch (e) {
      return `${key}: ${(e as Error).message}`;
    }
    into[field] = text;
  } else {
    if (/\s/.test(text)) return `${key} "${text}" contains whitespace`;
    into[field] = text;
  }
  return undefined;
}

export class Inventory {
  private readonly groups = new Map<string, Group>();
  private readonly hostVars = new Map<string, ConnectionVars>();
  private readonly order: string[] = [];

  constructor(private readonly file: string) {}

  private group(name: string, line: number): Group {
    let g = this.groups.get(name);
    if (g === undefined) {
      g = { hosts: [], children: new Set(), vars: {}, line };
      this.groups.set(name, g);
    }
    return g;
  }

  addHost(group: string, name: string, vars: ConnectionVars, line: number): void {
    const g = this.group(group, line);
    if (!g.hosts.includes(name)) g.hosts.push(name);
    if (!this.hostVars.has(name)) {
      this.order.push(name);
      this.hostVars.set(name, {});
    }
    // A later definition of a host's variable wins, as in Ansible.
    Object.assign(this.hostVars.get(name)!, vars);
  }

  addChild(parent: string, child: string, line: number): void {
    this.group(child, line);
    this.group(parent, line).children.add(child);
  }

  setGroupVars(group: string, vars: ConnectionVars, line: number): void {
    Object.assign(this.group(group, line).vars, vars);
  }

  // Depth of each group below `all` (the longest path), refusing loops.
  private depths(): Map<string, number> {
    const depth = new Map<string, number>();
    const visit = (name: string, d: number, path: string[]) => {
      if (path.includes(name)) {
        const g = this.groups.get(name)!;
        throw listError(
          this.file,
          g.line,
          `group "${name}" is its own child (${[...path, name].join(' > ')})`,
        );
      }
      if ((depth.get(name) ?? -1) >= d) return;
      depth.set(name, d);
      for (const c of this.groups.get(name)?.children ?? []) visit(c, d + 1, [...path, name]);
    };
    const children = new Set([...this.groups.values()].flatMap((g) => [...g.children]));
    for (const name of this.groups.keys()) {
      if (!children.has(name)) visit(name, name === 'all' ? 0 : 1, []);
    }
    // A loop with no way in from a top-level group.
    for (const name of this.groups.keys()) if (!depth.has(name)) visit(name, 1, []);
    return depth;
  }

  build(): FleetHost[] {
    const depth = this.depths();
    // Each host's groups, direct and inherited through `children`.
    const parents = new Map<string, string[]>();
    for (const [name, g] of this.groups) {
      for (const c of g.children) parents.set(c, [...(parents.get(c) ?? []), name]);
    }
    const ancestry = (group: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(group)) return seen;
      seen.add(group);
      for (const p of parents.get(group) ?? []) ancestry(p, seen);
      return seen;
    };
    const hosts: FleetHost[] = [];
    for (const name of this.order) {
      const all = new Set<string>(['all']);
      for (const [group, g] of this.groups) {
        if (g.hosts.includes(name)) for (const a of ancestry(group)) all.add(a);
      }
      const byPrecedence = [...all].sort(
        (a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
      );
      const vars: ConnectionVars = {};
      for (const g of byPrecedence) Object.assign(vars, this.groups.get(g)?.vars ?? {});
      Object.assign(vars, this.hostVars.get(name));
      hosts.push({
        name,
        host: vars.host ?? name,
        ...(vars.user !== undefined ? { user: vars.user } : {}),
        ...(vars.port !== undefined ? { port: vars.port } : {}),
        ...(vars.keyFile !== undefined ? { keyFile: vars.keyFile } : {}),
        ...(vars.commonArgs !== undefined || vars.extraArgs !== undefined
          ? { sshArgs: [vars.commonArgs, vars.extraArgs].filter((a) => a !== undefined).join(' ') }
          : {}),
        // `all` and `ungrouped` say nothing about a host.
        groups: [...all].filter((g) => g !== 'all' && g !== 'ungrouped'),
      });
    }
    return dedupeHosts(hosts);
  }
}
