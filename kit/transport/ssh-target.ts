import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { DropkitError } from '../errors.js';
import {
  loadSshConfig,
  type ParsedConfig,
  type ResolvedHost,
  type ResolveOverrides,
  resolveHost,
  SYSTEM_SSH_CONFIG,
  type UnsupportedSetting,
} from '../ssh/config.js';
import { type HostSpec, parseHostSpec } from '../ssh/host-spec.js';
import { jumpChain } from '../ssh/jump-chain.js';

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
  // OpenSSH's own files, read after configFiles in this order. Only tests
  // change them; everything else gets ~/.ssh/config and /etc/ssh/ssh_config.
  userConfig?: string;
  systemConfig?: string;
}

function parseSpec(spec: string, name: string): HostSpec {
  try {
    return parseHostSpec(spec);
  } catch (e) {
    throw new DropkitError({
      code: 'USAGE',
      message: (e as Error).message,
      host: name,
      step: 'resolve',
    });
  }
}

// A setting that would send OpenSSH elsewhere or by another route: refusing is
// the only safe answer, since connecting directly instead would offer the
// user's name and keys to whatever answers at the bare address.
function refusal(name: string, found: UnsupportedSetting[], hop?: string): DropkitError {
  const first = found[0]!;
  const more = found.slice(1);
  const at = (s: UnsupportedSetting) => `${s.option} at ${s.origin.file}:${s.origin.line}`;
  const who = hop === undefined ? '' : `jump host "${hop}": `;
  const also = more.length > 0 ? ` (also ${more.map(at).join(', ')})` : '';
  return new DropkitError({
    code: 'CONNECT_FAILED',
    message: `${who}${at(first)}: ${first.reason}${also}`,
    host: name,
    step: 'ssh config',
    hint: first.hint,
  });
}

// A user or port in the spec beats the config, like `ssh -l`/`-p`, and is what
// `Match user` and %r/%p see.
function resolveSpec(configs: ParsedConfig[], spec: HostSpec): ResolvedHost {
  const overrides: ResolveOverrides = {};
  if (spec.user !== undefined) overrides.user = spec.user;
  if (spec.port !== undefined) overrides.port = spec.port;
  return resolveHost(configs, spec.host, { home: homedir(), user: userInfo().username }, overrides);
}

// Every hop dropkit will walk, in order: the configured ones, preceded by the
// first hop's own chain (as OpenSSH does). Each is checked like the target, so
// a refusal comes before any connection is made.
function checkedJumpChain(name: string, configs: ParsedConfig[], hops: string[]): string[] {
  const resolved = new Map<string, ResolvedHost>();
  const resolveHop = (hop: string): ResolvedHost => {
    let r = resolved.get(hop);
    if (r === undefined) {
      r = resolveSpec(configs, parseSpec(hop, name));
      if (r.unsupported.length > 0) throw refusal(name, r.unsupported, hop);
      resolved.set(hop, r);
    }
    return r;
  };
  const chain = jumpChain(hops, (hop) => resolveHop(hop).proxyJump);
  if (!chain.ok) {
    throw new DropkitError({
      code: 'CONNECT_FAILED',
      message: chain.reason,
      host: name,
      step: 'ssh config',
      hint: 'exclude the jump hosts from the block that sets ProxyJump, e.g. "Host * !bastion"',
    });
  }
  for (const hop of chain.hops) resolveHop(hop);
  return chain.hops;
}

// `[user@]host[:port]` or an alias, resolved the way `ssh -G` would: explicit
// --ssh-config first, then the lab's config, then ~/.ssh/config, then
// /etc/ssh/ssh_config (the first value obtained wins).
export async function resolveTarget(spec: string, opts: ResolveOptions): Promise<SshTarget> {
  const parsed = parseSpec(spec, spec);
  const files = [...opts.configFiles, opts.userConfig ?? join(homedir(), '.ssh', 'config')];
  const { configs, warnings } = await loadSshConfig(files, {
    systemConfig: opts.systemConfig ?? SYSTEM_SSH_CONFIG,
  });
  const resolved = resolveSpec(configs, parsed);
  if (resolved.unsupported.length > 0) throw refusal(spec, resolved.unsupported);
  // Hops after the first are reached with `-J`, which overrides their own
  // ProxyJump; only the target and the first hop have chains of their own.
  if (!opts.viaJump && resolved.proxyJump?.length) {
    resolved.proxyJump = checkedJumpChain(spec, configs, resolved.proxyJump);
  }
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
