// Evaluates parsed ssh_config files for one destination the way OpenSSH does: walk every
// applicable block in order and keep the first value obtained for each keyword (except
// IdentityFile, which accumulates). Pure: the local user and home come in through `env`.

import { isIP } from 'node:net';
import os from 'node:os';
import type {
  BlockCondition,
  MatchCriterion,
  ParsedConfig,
  SshConfigOption,
} from './config-parse.js';
import { expandTilde, expandTokens } from './config-tokens.js';
import {
  parseCount,
  parseProxyJump,
  parseStrictHostKeyChecking,
  parseTimeSpec,
  parseYesNo,
  type StrictHostKeyChecking,
} from './config-values.js';
import { parsePort } from './host-spec.js';
import { matchPattern, matchPatternList } from './patterns.js';

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
  /** Set when ProxyCommand won over ProxyJump; dropkit cannot run it but should say so. */
  proxyCommand?: string;
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
}

export const DEFAULT_USER_KNOWN_HOSTS = ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'];
export const DEFAULT_GLOBAL_KNOWN_HOSTS = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

export function defaultResolveEnv(): ResolveEnv {
  const info = os.userInfo();
  return { home: os.homedir(), user: info.username, localHost: os.hostname() };
}

/** First-value-wins store; `undefined` marks "obtained, but explicitly none". */
class FirstWins {
  private readonly values = new Map<string, string[] | undefined>();
  has(key: string): boolean {
    return this.values.has(key);
  }
  get(key: string): string[] | undefined {
    return this.values.get(key);
  }
  offer(key: string, value: string[] | undefined): void {
    if (!this.values.has(key)) this.values.set(key, value);
  }
}

interface EvalState {
  alias: string;
  env: ResolveEnv;
  overrides: ResolveOverrides;
  store: FirstWins;
  matchedAlias: boolean;
}

function currentHostName(state: EvalState): string {
  const hostName = state.store.get('hostname')?.[0];
  // Match host sees HostName as set so far, with %h already expanded (readconf.c).
  return hostName === undefined ? state.alias : expandTokens(hostName, { h: state.alias });
}

function currentUser(state: EvalState): string {
  return state.overrides.user ?? state.store.get('user')?.[0] ?? state.env.user;
}

function criterionSubject(kind: 'host' | 'originalhost' | 'user' | 'localuser', state: EvalState) {
  switch (kind) {
    case 'host':
      return currentHostName(state);
    case 'originalhost':
      return state.alias;
    case 'user':
      return currentUser(state);
    case 'localuser':
      return state.env.user;
  }
}

function criterionHolds(c: MatchCriterion, state: EvalState): boolean {
  if (c.kind === 'all') return !c.negated;
  // Host names compare case-insensitively as in OpenSSH's match_hostname(); users do not.
  const hostLike = c.kind === 'host' || c.kind === 'originalhost';
  const hit = matchPatternList(criterionSubject(c.kind, state), c.patterns, hostLike) === 'match';
  return hit !== c.negated;
}

function conditionHolds(cond: BlockCondition, state: EvalState): boolean {
  switch (cond.kind) {
    case 'never':
      return false;
    case 'host': {
      // Case-sensitive against the alias as typed, like OpenSSH's Host matching.
      const hits = cond.patterns.filter((p) => matchPattern(state.alias, p.pattern));
      return hits.length > 0 && hits.every((p) => !p.negated);
    }
    case 'match':
      return cond.criteria.every((c) => criterionHolds(c, state));
  }
}

function conditionNamesHost(cond: BlockCondition): boolean {
  if (cond.kind === 'host') return cond.patterns.some((p) => !p.negated && p.pattern !== '*');
  if (cond.kind === 'match') {
    return cond.criteria.some(
      (c) => (c.kind === 'host' || c.kind === 'originalhost') && !c.negated && c.patterns !== '*',
    );
  }
  return false;
}

function applyOption(opt: SshConfigOption, state: EvalState, identity: string[]): void {
  const { store } = state;
  switch (opt.keyword) {
    case 'identityfile':
      identity.push(opt.args[0]!);
      return;
    case 'proxyjump': {
      // ProxyJump and ProxyCommand exclude each other; whichever comes first wins, but
      // "ProxyJump none" does not block a later ProxyCommand (readconf.c parse_jump()).
      const hops = parseProxyJump(opt.args[0]!);
      if (hops.length === 0) {
        store.offer('proxyjump', undefined);
      } else if (!store.has('proxyjump') && !store.has('proxycommand')) {
        store.offer('proxyjump', hops);
        store.offer('proxycommand', undefined);
      }
      return;
    }
    case 'proxycommand':
      store.offer('proxycommand', opt.rest.toLowerCase() === 'none' ? undefined : [opt.rest]);
      return;
    case 'connecttimeout':
    case 'serveraliveinterval':
      store.offer(opt.keyword, opt.args[0] === 'none' ? undefined : opt.args);
      return;
    default:
      store.offer(opt.keyword, opt.args);
  }
}

function firstArg(store: FirstWins, key: string): string | undefined {
  return store.get(key)?.[0];
}

/**
 * Resolves the effective settings for `alias` from configs in precedence order (user
 * config before /etc/ssh/ssh_config). Include options must already be expanded by the
 * loader; any left in place are ignored.
 */
export function resolveHost(
  configs: ParsedConfig[],
  alias: string,
  env: ResolveEnv = defaultResolveEnv(),
  overrides: ResolveOverrides = {},
): ResolvedHost {
  const state: EvalState = { alias, env, overrides, store: new FirstWins(), matchedAlias: false };
  const identity: string[] = [];
  for (const config of configs) {
    for (const block of config.blocks) {
      // Conditions are evaluated when the block is reached, so Match host sees the
      // HostName obtained from earlier blocks, exactly as OpenSSH's single pass does.
      if (!block.conditions.every((c) => conditionHolds(c, state))) continue;
      if (block.conditions.some(conditionNamesHost)) state.matchedAlias = true;
      for (const opt of block.options) applyOption(opt, state, identity);
    }
  }
  return finish(state, identity);
}

function finish(state: EvalState, identityRaw: string[]): ResolvedHost {
  const { store, env, alias } = state;
  const rawHostName = currentHostName(state);
  // ssh lower-cases names (not addresses) before using them for known_hosts and %h.
  const hostName = isIP(rawHostName) ? rawHostName : rawHostName.toLowerCase();
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
    identityFiles: [...new Set(identityRaw.map(expandPath))],
    userKnownHostsFiles: fileList('userknownhostsfile', DEFAULT_USER_KNOWN_HOSTS),
    globalKnownHostsFiles: fileList('globalknownhostsfile', DEFAULT_GLOBAL_KNOWN_HOSTS),
    strictHostKeyChecking:
      parseStrictHostKeyChecking(firstArg(store, 'stricthostkeychecking') ?? 'ask') ?? 'ask',
    matchedAlias: state.matchedAlias,
  };
  if (user !== undefined) result.user = user;
  const jump = store.get('proxyjump');
  if (jump !== undefined) result.proxyJump = jump;
  const command = firstArg(store, 'proxycommand');
  if (command !== undefined) result.proxyCommand = command;
  const keyAlias = firstArg(store, 'hostkeyalias');
  if (keyAlias !== undefined) result.hostKeyAlias = keyAlias;
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
