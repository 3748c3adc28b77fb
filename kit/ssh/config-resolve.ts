// Evaluates parsed ssh_config files for one destination the way OpenSSH does: walk every
// applicable block in order and keep the first value obtained for each keyword (except
// IdentityFile, which accumulates), then walk again for `Match final`/`canonical` when ssh
// would. Pure: the local user and home come in through `env`.

import { isIP } from 'node:net';
import os from 'node:os';
import {
  blockVerdict,
  conditionNamesHost,
  type MatchSubject,
  type UnknownCause,
  wantsFinalPass,
} from './config-conditions.js';
import { type IgnoredSetting, ignoredSettings } from './config-ignored.js';
import type { ParsedConfig, SshConfigOption } from './config-parse.js';
import { FirstWins } from './config-store.js';
import { expandTilde, expandTokens } from './config-tokens.js';
import {
  bindSettings,
  canonicalizeMode,
  canonicalizeSetting,
  proxyCommandSetting,
  proxyExpansionSetting,
  type UnsupportedSetting,
  undecidedSetting,
} from './config-unsupported.js';
import {
  parseCount,
  parseProxyJump,
  parseStrictHostKeyChecking,
  parseTimeSpec,
  parseYesNo,
  type StrictHostKeyChecking,
} from './config-values.js';
import { parsePort } from './host-spec.js';
import { expandProxyCommand, isProxyCommandNone } from './proxy-command.js';

export interface ResolveEnv {
  home: string;
  /** Local user name (%u, and the default remote user for %r). */
  user: string;
  /** Local host name for %l/%L; those tokens stay unexpanded when absent. */
  localHost?: string;
}

/** Values given explicitly by the caller (like `ssh -l user -p port`); they beat the config. */
export interface ResolveOverrides {
  user?: string;
  port?: number;
}

export interface ResolvedHost {
  alias: string;
  hostName: string;
  user?: string;
  port: number;
  /** Only files named in the config; OpenSSH's default id_* files are not added here. */
  identityFiles: string[];
  proxyJump?: string[];
  /** Set when ProxyCommand won over ProxyJump: as configured (what `ssh -G` prints). */
  proxyCommand?: string;
  /** The same with its %-tokens expanded: the command line dropkit runs. */
  proxyCommandLine?: string;
  connectTimeoutSec?: number;
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  strictHostKeyChecking: StrictHostKeyChecking;
  hostKeyAlias?: string;
  serverAliveIntervalSec?: number;
  serverAliveCountMax?: number;
  identitiesOnly?: boolean;
  /** True if a Host block other than a bare `*` (or a Match host/originalhost) applied. */
  matchedAlias: boolean;
  /** Settings that change where or how OpenSSH would connect and dropkit cannot honour. */
  unsupported: UnsupportedSetting[];
  /** Settings ssh would act on and dropkit goes on without: the user must be told. */
  ignored: IgnoredSetting[];
}

export const DEFAULT_USER_KNOWN_HOSTS = ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'];
export const DEFAULT_GLOBAL_KNOWN_HOSTS = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

export function defaultResolveEnv(): ResolveEnv {
  const info = os.userInfo();
  return { home: os.homedir(), user: info.username, localHost: os.hostname() };
}

interface EvalState {
  alias: string;
  env: ResolveEnv;
  overrides: ResolveOverrides;
  store: FirstWins;
  identity: string[];
  matchedAlias: boolean;
  /** Blocks that could apply but cannot be evaluated, and set something. */
  undecided: UnknownCause[];
}

// Match host sees HostName as set so far, with %h already expanded (readconf.c).
function currentHostName(state: EvalState): string {
  const hostName = state.store.get('hostname')?.[0];
  return hostName === undefined ? state.alias : expandTokens(hostName, { h: state.alias });
}

// ssh lower-cases names (not addresses) before using them for known_hosts, %h and the
// final pass.
function effectiveHostName(state: EvalState): string {
  const raw = currentHostName(state);
  return isIP(raw) ? raw : raw.toLowerCase();
}

function subjectFor(state: EvalState, finalHost: string | undefined): MatchSubject {
  const { store, env, overrides, alias } = state;
  return {
    // The final pass matches Host lines against the host name, not the alias (ssh.c).
    hostArg: finalHost ?? alias,
    hostName: () => finalHost ?? currentHostName(state),
    originalHost: alias,
    remoteUser: () => overrides.user ?? store.get('user')?.[0] ?? env.user,
    localUser: env.user,
    tag: () => store.get('tag')?.[0] ?? '',
    sessionType: () => {
      const configured = store.get('sessiontype')?.[0]?.toLowerCase();
      return configured === 'none' || configured === 'subsystem' ? configured : 'exec';
    },
    finalPass: finalHost !== undefined,
  };
}

function applyOption(opt: SshConfigOption, state: EvalState): void {
  const { store } = state;
  const origin = { file: opt.file, line: opt.line };
  switch (opt.keyword) {
    case 'identityfile':
      state.identity.push(opt.args[0]!);
      return;
    case 'proxyjump': {
      // ProxyJump and ProxyCommand exclude each other; whichever comes first wins, but
      // "ProxyJump none" does not block a later ProxyCommand (readconf.c parse_jump()).
      const hops = parseProxyJump(opt.args[0]!);
      if (hops.length === 0) {
        store.offer('proxyjump', undefined, origin);
      } else if (!store.has('proxyjump') && !store.has('proxycommand')) {
        store.offer('proxyjump', hops, origin);
        store.offer('proxycommand', undefined, origin);
      }
      return;
    }
    case 'proxycommand':
      store.offer('proxycommand', isProxyCommandNone(opt.rest) ? undefined : [opt.rest], origin);
      return;
    case 'connecttimeout':
    case 'serveraliveinterval':
      store.offer(opt.keyword, opt.args[0] === 'none' ? undefined : opt.args, origin);
      return;
    default:
      store.offer(opt.keyword, opt.args, origin);
  }
}

function recordUndecided(state: EvalState, cause: UnknownCause): void {
  const same = (c: UnknownCause) =>
    c.origin.file === cause.origin.file && c.origin.line === cause.origin.line;
  if (!state.undecided.some(same)) state.undecided.push(cause);
}

// One walk over every block, as readconf.c does per pass. Conditions are evaluated when
// the block is reached, so Match host sees the HostName obtained from earlier blocks.
function runPass(configs: ParsedConfig[], state: EvalState, finalHost?: string): void {
  const subject = subjectFor(state, finalHost);
  for (const config of configs) {
    for (const block of config.blocks) {
      const { verdict, cause } = blockVerdict(block.conditions, subject);
      if (verdict === 'no') continue;
      if (verdict === 'unknown') {
        // Nothing from it is taken; if it sets anything at all, the host is refused,
        // since the block might have changed where or how to connect.
        const setsSomething = block.options.some((o) => o.keyword !== 'include');
        if (setsSomething && cause) recordUndecided(state, cause);
        continue;
      }
      if (block.conditions.some(conditionNamesHost)) state.matchedAlias = true;
      for (const opt of block.options) applyOption(opt, state);
    }
  }
}

/**
 * Resolves the effective settings for `alias` from configs in precedence order (user
 * config before /etc/ssh/ssh_config). Include options must already be expanded by the
 * loader; any left in place are ignored. Settings dropkit cannot honour are listed in
 * `unsupported`, for the caller to refuse.
 */
export function resolveHost(
  configs: ParsedConfig[],
  alias: string,
  env: ResolveEnv = defaultResolveEnv(),
  overrides: ResolveOverrides = {},
): ResolvedHost {
  const state: EvalState = {
    alias,
    env,
    overrides,
    store: new FirstWins(),
    identity: [],
    matchedAlias: false,
    undecided: [],
  };
  runPass(configs, state);
  // ssh.c decides canonicalization, and whether to re-read the config, from the first pass.
  const hostName = effectiveHostName(state);
  // A name a jump host or a ProxyCommand will resolve (ssh.c resolve_canonicalize()).
  const proxied =
    (state.store.get('proxyjump')?.length ?? 0) > 0 ||
    state.store.get('proxycommand') !== undefined;
  const canonical = canonicalizeSetting(state.store, hostName, proxied);
  const finalPass =
    canonicalizeMode(state.store) !== undefined ||
    configs.some((c) => c.blocks.some((b) => wantsFinalPass(b.conditions)));
  if (finalPass) {
    // ssh.c fixes the host name before the final pass: a later HostName cannot change it.
    state.store.offer('hostname', [hostName]);
    runPass(configs, state, hostName);
  }
  const unsupported = [
    proxyCommandSetting(state.store),
    ...state.undecided.map(undecidedSetting),
    canonical,
    ...bindSettings(state.store),
  ].filter((u): u is UnsupportedSetting => u !== undefined);
  return finish(state, unsupported);
}

function firstArg(store: FirstWins, key: string): string | undefined {
  return store.get(key)?.[0];
}

function finish(state: EvalState, refused: UnsupportedSetting[]): ResolvedHost {
  const unsupported = [...refused];
  const { store, env, alias } = state;
  const hostName = effectiveHostName(state);
  const configUser = firstArg(store, 'user');
  const user = state.overrides.user ?? configUser;
  const port = state.overrides.port ?? parsePort(firstArg(store, 'port') ?? '') ?? 22;

  const tokens: Record<string, string> = {
    d: env.home,
    u: env.user,
    h: hostName,
    r: user ?? env.user,
    p: String(port),
    n: alias,
  };
  if (env.localHost !== undefined) {
    tokens.l = env.localHost;
    tokens.L = env.localHost.split('.')[0]!;
  }
  const expandPath = (p: string): string => expandTokens(expandTilde(p, env.home), tokens);
  const fileList = (key: string, fallback: string[]): string[] => {
    const files = store.has(key) ? (store.get(key) ?? []) : fallback;
    return files.filter((f) => f.toLowerCase() !== 'none').map(expandPath);
  };

  const result: ResolvedHost = {
    alias,
    hostName,
    port,
    identityFiles: [...new Set(state.identity.map(expandPath))],
    userKnownHostsFiles: fileList('userknownhostsfile', DEFAULT_USER_KNOWN_HOSTS),
    globalKnownHostsFiles: fileList('globalknownhostsfile', DEFAULT_GLOBAL_KNOWN_HOSTS),
    strictHostKeyChecking:
      parseStrictHostKeyChecking(firstArg(store, 'stricthostkeychecking') ?? 'ask') ?? 'ask',
    matchedAlias: state.matchedAlias,
    unsupported,
    ignored: ignoredSettings(store),
  };
  if (user !== undefined) result.user = user;
  const jump = store.get('proxyjump');
  if (jump !== undefined) result.proxyJump = jump;
  const keyAlias = firstArg(store, 'hostkeyalias');
  if (keyAlias !== undefined) result.hostKeyAlias = keyAlias;
  const command = firstArg(store, 'proxycommand');
  if (command !== undefined) {
    result.proxyCommand = command;
    const expanded = expandProxyCommand(command, {
      hostName,
      alias,
      port,
      user: user ?? env.user,
      ...(keyAlias !== undefined ? { hostKeyAlias: keyAlias } : {}),
    });
    if (expanded.ok) result.proxyCommandLine = expanded.command;
    else {
      const refusal = proxyExpansionSetting(store, expanded.reason);
      if (refusal) unsupported.push(refusal);
    }
  }
  const connectTimeout = parseTimeSpec(firstArg(store, 'connecttimeout') ?? '');
  if (connectTimeout !== undefined) result.connectTimeoutSec = connectTimeout;
  const aliveInterval = parseTimeSpec(firstArg(store, 'serveraliveinterval') ?? '');
  if (aliveInterval !== undefined) result.serverAliveIntervalSec = aliveInterval;
  const aliveCount = parseCount(firstArg(store, 'serveralivecountmax') ?? '');
  if (aliveCount !== undefined) result.serverAliveCountMax = aliveCount;
  const identitiesOnly = parseYesNo(firstArg(store, 'identitiesonly') ?? '');
  if (identitiesOnly !== undefined) result.identitiesOnly = identitiesOnly;
  return result;
}
