// Settings that would make OpenSSH connect somewhere else, or by another route, than dropkit
// would. dropkit cannot honour them, and ignoring them would mean a silent direct
// connection (offering the user's name and keys to whatever answers there), so the caller
// refuses the host instead. Pure: it only reads what the resolver obtained.

import { isIP } from 'node:net';
import type { UnknownCause } from './config-conditions.js';
import type { ConfigOrigin } from './config-match.js';
import type { FirstWins } from './config-store.js';
import { parseCount } from './config-values.js';

export interface UnsupportedSetting {
  /** As written in ssh_config: `ProxyCommand`, `Match exec`, `CanonicalizeHostname`, ... */
  option: string;
  /** The value or criterion, as written. */
  value: string;
  origin: ConfigOrigin;
  /** Why dropkit will not connect with it, as a sentence fragment. */
  reason: string;
  /** What the user can do instead. */
  hint: string;
}

const MATCH_HINT =
  'narrow the Match line so that it clearly excludes this host (e.g. add "host" criteria), or move its settings into a Host block';

/**
 * The forms of ProxyCommand dropkit cannot run: `ProxyCommand -` (ssh's own stdin and
 * stdout are the connection) and ProxyUseFdpass (the command hands a socket back over a
 * Unix socket pair). Any other command is run (kit/transport/proxy-process.ts).
 */
export function proxyCommandSetting(store: FirstWins): UnsupportedSetting | undefined {
  const command = store.get('proxycommand')?.[0];
  const origin = store.origin('proxycommand');
  if (command === undefined || origin === undefined) return undefined;
  if (command === '-') {
    return {
      option: 'ProxyCommand',
      value: command,
      origin,
      reason: 'dropkit cannot use its own stdin and stdout as the connection',
      hint: 'give a command that connects, e.g. "ssh -W %h:%p bastion", or use ProxyJump',
    };
  }
  const fdpass = store.get('proxyusefdpass')?.[0]?.toLowerCase();
  const fdpassOrigin = store.origin('proxyusefdpass');
  if ((fdpass === 'yes' || fdpass === 'true') && fdpassOrigin !== undefined) {
    return {
      option: 'ProxyUseFdpass',
      value: fdpass,
      origin: fdpassOrigin,
      reason: 'dropkit cannot take a socket passed back by the ProxyCommand',
      hint: 'set "ProxyUseFdpass no" for this host: dropkit then talks through the command\'s stdin and stdout',
    };
  }
  return undefined;
}

/** A ProxyCommand whose %-tokens ssh would refuse to expand. */
export function proxyExpansionSetting(
  store: FirstWins,
  reason: string,
): UnsupportedSetting | undefined {
  const command = store.get('proxycommand')?.[0];
  const origin = store.origin('proxycommand');
  if (command === undefined || origin === undefined) return undefined;
  return {
    option: 'ProxyCommand',
    value: command,
    origin,
    reason: `${reason} (ssh refuses it too; tokens are %h %n %p %r %k and %%)`,
    hint: 'write a literal percent sign as "%%"',
  };
}

export function undecidedSetting(cause: UnknownCause): UnsupportedSetting {
  let why: string;
  if (cause.what === 'Match exec') why = 'dropkit never runs commands from ssh config';
  else if (cause.what === 'Match') why = 'the Match line is invalid (ssh rejects it too)';
  else why = `dropkit cannot evaluate "${cause.what}"`;
  return {
    option: cause.what,
    value: cause.detail,
    origin: cause.origin,
    reason: `${why}, so it cannot tell whether this block, which changes settings, applies`,
    hint: MATCH_HINT,
  };
}

/** BindAddress/BindInterface choose the local side, and so the route; dropkit cannot yet. */
export function bindSettings(store: FirstWins): UnsupportedSetting[] {
  const out: UnsupportedSetting[] = [];
  for (const [key, option] of [
    ['bindaddress', 'BindAddress'],
    ['bindinterface', 'BindInterface'],
  ] as const) {
    const value = store.get(key)?.[0];
    const origin = store.origin(key);
    if (value === undefined || origin === undefined) continue;
    out.push({
      option,
      value,
      origin,
      reason: 'dropkit cannot choose the local address or interface yet',
      hint: 'run dropkit where the default route reaches the host, or drop the option for it',
    });
  }
  return out;
}

const CANONICALIZE = new Map([
  ['yes', 'yes'],
  ['true', 'yes'],
  ['always', 'always'],
]);

/** The CanonicalizeHostname mode obtained so far: 'yes', 'always' or undefined (no). */
export function canonicalizeMode(store: FirstWins): string | undefined {
  return CANONICALIZE.get(store.get('canonicalizehostname')?.[0]?.toLowerCase() ?? '');
}

/**
 * ssh.c resolve_canonicalize(): whether CanonicalizeHostname could rewrite `hostName` (by
 * appending a CanonicalDomains suffix, dropping a final dot or following a permitted CNAME).
 * That needs DNS answers dropkit does not reproduce, and the rewritten name would select
 * other Host blocks, so such a host is refused. When nothing can change, the resolver's
 * final pass already gives OpenSSH's result.
 */
export function canonicalizeSetting(
  store: FirstWins,
  hostName: string,
  proxied: boolean,
): UnsupportedSetting | undefined {
  const mode = canonicalizeMode(store);
  const origin = store.origin('canonicalizehostname');
  if (mode === undefined || origin === undefined || isIP(hostName)) return undefined;
  // Names a jump host will resolve are left alone unless "always" (ssh.c).
  if (proxied && mode !== 'always') return undefined;
  const maxDots = parseCount(store.get('canonicalizemaxdots')?.[0] ?? '') ?? 1;
  const domains = store.get('canonicaldomains') ?? [];
  // A "none" entry ends the list (ssh.c).
  const none = domains.findIndex((d) => d.toLowerCase() === 'none');
  const usable = none < 0 ? domains : domains.slice(0, none);
  const cnames = store.get('canonicalizepermittedcnames') ?? [];
  const dots = hostName.split('.').length - 1;
  const rewrites =
    hostName.endsWith('.') ||
    (dots <= maxDots && usable.length > 0) ||
    (cnames.length > 0 && cnames[0]?.toLowerCase() !== 'none');
  if (!rewrites) return undefined;
  return {
    option: 'CanonicalizeHostname',
    value: store.get('canonicalizehostname')?.[0] ?? mode,
    origin,
    reason: `it could rewrite "${hostName}" through DNS, which dropkit does not do yet`,
    hint: 'give the fully qualified host name, or set "CanonicalizeHostname no" for this host',
  };
}
