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
  // Problems in the config files (a line ignored), the same for every host.
  warnings: string[];
  // This host's settings that ssh would act on and dropkit goes on without.
  hostWarnings: string[];
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

// A hop after the first is reached with `ssh -J`, which overrides its own
// ProxyJump and ProxyCommand (readconf.c skips ProxyCommand once a jump host is
// set): neither is used, so neither can be refused.
function overriddenByJump(r: ResolvedHost): void {
  delete r.proxyCommand;
  delete r.proxyCommandLine;
  r.unsupported = withoutProxyCommand(r.unsupported);
}

function withoutProxyCommand(found: UnsupportedSetting[]): UnsupportedSetting[] {
  return found.filter((u) => u.option !== 'ProxyCommand' && u.option !== 'ProxyUseFdpass');
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
  const resolveHop = (hop: string, first: boolean): ResolvedHost => {
    let r = resolved.get(hop);
    if (r === undefined) {
      r = resolveSpec(configs, parseSpec(hop, name));
      resolved.set(hop, r);
    }
    // Only the first hop is reached with its own ProxyCommand (ssh -J).
    const unsupported = first ? r.unsupported : withoutProxyCommand(r.unsupported);
    if (unsupported.length > 0) throw refusal(name, unsupported, hop);
    return r;
  };
  // jumpChain asks only about the hop that is first at the time.
  const chain = jumpChain(hops, (hop) => resolveHop(hop, true).proxyJump);
  if (!chain.ok) {
    throw new DropkitError({
      code: 'CONNECT_FAILED',
      message: chain.reason,
      host: name,
      step: 'ssh config',
      hint: 'exclude the jump hosts from the block that sets ProxyJump, e.g. "Host * !bastion"',
    });
  }
  for (const [i, hop] of chain.hops.entries()) resolveHop(hop, i === 0);
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
  if (opts.viaJump) overriddenByJump(resolved);
  if (resolved.unsupported.length > 0) throw refusal(spec, resolved.unsupported);
  // Hops after the first are reached with `-J`, which overrides their own
  // ProxyJump; only the target and the first hop have chains of their own.
  if (!opts.viaJump && resolved.proxyJump?.length) {
    resolved.proxyJump = checkedJumpChain(spec, configs, resolved.proxyJump);
  }
  // A name we connect to ourselves must resolve here; behind a ProxyJump or a
  // ProxyCommand it is the jump host's or the command's business.
  const direct =
    !opts.viaJump && !resolved.proxyJump?.length && resolved.proxyCommandLine === undefined;
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
    hostWarnings: resolved.ignored.map(
      (i) => `${i.option} at ${i.origin.file}:${i.origin.line} is ignored: ${i.effect}`,
    ),
  };
}
