import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { DropkitError } from '../errors.js';
import { loadSshConfig, type ResolvedHost, resolveHost } from '../ssh/config.js';
import { parseHostSpec } from '../ssh/host-spec.js';

export interface SshTarget {
  // What the user asked for, used in every message.
  name: string;
  resolved: ResolvedHost;
  user: string;
  port: number;
  warnings: string[];
}

export interface ResolveOptions {
  // Extra config files, most important first (--ssh-config, then the lab's).
  configFiles: string[];
  // Reached through a jump host (a hop after the first): the name is
  // resolved there, as with `ssh -J`, not here.
  viaJump?: boolean;
}

// `[user@]host[:port]` or an alias, resolved the way `ssh -G` would: explicit
// --ssh-config first, then the lab's config, then ~/.ssh/config.
export async function resolveTarget(spec: string, opts: ResolveOptions): Promise<SshTarget> {
  let parsed: ReturnType<typeof parseHostSpec>;
  try {
    parsed = parseHostSpec(spec);
  } catch (e) {
    throw new DropkitError({
      code: 'USAGE',
      message: (e as Error).message,
      host: spec,
      step: 'resolve',
    });
  }
  const files = [...opts.configFiles, join(homedir(), '.ssh', 'config')];
  const { configs, warnings } = await loadSshConfig(files);
  const resolved = resolveHost(configs, parsed.host, {
    home: homedir(),
    user: userInfo().username,
  });
  // A name we connect to ourselves must resolve here; behind a ProxyJump it
  // is the jump host's business.
  const direct = !opts.viaJump && !resolved.proxyJump?.length;
  if (direct && !resolved.matchedAlias && !isIP(resolved.hostName)) {
    try {
      await lookup(resolved.hostName);
    } catch {
      throw new DropkitError({
        code: 'UNKNOWN_HOST_ALIAS',
        message: `unknown host or alias "${parsed.host}": not in ssh config and not resolvable`,
        host: spec,
        step: 'resolve',
        hint: 'check the spelling, pass --ssh-config FILE, or bring the lab up with `repro lab up` for vmA/vmB',
      });
    }
  }
  return {
    name: spec,
    resolved,
    user: parsed.user ?? resolved.user ?? userInfo().username,
    port: parsed.port ?? resolved.port,
    warnings,
  };
}
