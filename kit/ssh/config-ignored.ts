// Settings that apply to a host, that OpenSSH would act on, and that dropkit goes on
// without. Unlike config-unsupported.ts they cannot send the connection elsewhere: at
// worst authentication fails, or a key check ssh would make is not made. So the host is
// not refused, but the user is told every time, because the result differs from ssh's.
// Options that change nothing dropkit does (SendEnv, ForwardAgent, ControlMaster, ...)
// are not listed. Pure.

import type { ConfigOrigin } from './config-match.js';
import type { FirstWins } from './config-store.js';

export interface IgnoredSetting {
  /** As written in ssh_config. */
  option: string;
  value: string;
  origin: ConfigOrigin;
  /** What differs from ssh, as a sentence fragment. */
  effect: string;
}

// Keyed by lower-case keyword. A value of "none" means the option is off, so nothing
// is ignored.
const IGNORED = new Map<string, { option: string; effect: string }>([
  [
    'identityagent',
    { option: 'IdentityAgent', effect: 'dropkit asks the agent at $SSH_AUTH_SOCK instead' },
  ],
  [
    'certificatefile',
    { option: 'CertificateFile', effect: 'dropkit does not offer certificates, only keys' },
  ],
  [
    'pkcs11provider',
    {
      option: 'PKCS11Provider',
      effect: 'dropkit cannot use keys on a token (load them into ssh-agent)',
    },
  ],
  [
    'knownhostscommand',
    {
      option: 'KnownHostsCommand',
      effect: 'dropkit only trusts the keys in the known_hosts files',
    },
  ],
  [
    'revokedhostkeys',
    { option: 'RevokedHostKeys', effect: 'dropkit only honours @revoked lines in known_hosts' },
  ],
]);

export function ignoredSettings(store: FirstWins): IgnoredSetting[] {
  const out: IgnoredSetting[] = [];
  for (const [key, { option, effect }] of IGNORED) {
    const value = store.get(key)?.join(' ');
    const origin = store.origin(key);
    if (value === undefined || origin === undefined || value.toLowerCase() === 'none') continue;
    // The agent named by the environment is the one dropkit uses anyway.
    if (key === 'identityagent' && /^\$?\{?SSH_AUTH_SOCK\}?$/.test(value)) continue;
    out.push({ option, value, origin, effect });
  }
  return out;
}
