import { DropkitError } from '../errors.js';
import {
  appendKnownHost,
  checkHostKey,
  fingerprintSha256,
  formatKnownHostsLine,
  type KnownHostEntry,
  keyTypeOfBlob,
  knownKeyTypesFor,
} from '../ssh/known-hosts.js';
import type { HostKeyInfo } from './types.js';

export interface HostKeyPolicy {
  name: string;
  files: string[];
  lookupHost: string;
  port: number;
  strict: 'yes' | 'no' | 'accept-new' | 'ask';
  acceptNew: boolean;
}

// ssh2 negotiates the algorithm before we see the key. Like OpenSSH, prefer
// the types already recorded for this host so a host with only an RSA entry
// is not reported as "unknown" because it also offers ed25519.
export function preferredHostKeyAlgorithms(
  entries: KnownHostEntry[],
  host: string,
  port: number,
): string[] | undefined {
  const types = knownKeyTypesFor(entries, host, port);
  if (!types.length) return undefined;
  const expand = (t: string) =>
    t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t];
  const all = [
    'ssh-ed25519',
    'ecdsa-sha2-nistp256',
    'ecdsa-sha2-nistp384',
    'ecdsa-sha2-nistp521',
    'rsa-sha2-512',
    'rsa-sha2-256',
    'ssh-rsa',
  ];
  const first = types.flatMap(expand).filter((a) => all.includes(a));
  return [...first, ...all.filter((a) => !first.includes(a))];
}

export type HostKeyDecision = { ok: true; info: HostKeyInfo } | { ok: false; error: DropkitError };

export async function verifyHostKey(
  entries: KnownHostEntry[],
  policy: HostKeyPolicy,
  blob: Buffer,
): Promise<HostKeyDecision> {
  const type = keyTypeOfBlob(blob);
  const fingerprint = fingerprintSha256(blob);
  const file = policy.files[0] ?? '';
  const check = checkHostKey(entries, policy.lookupHost, policy.port, type, blob);
  const base = { host: policy.name, step: 'host key' };
  switch (check.status) {
    case 'match':
      return { ok: true, info: { status: 'known', type, fingerprint, file } };
    case 'revoked':
      return {
        ok: false,
        error: new DropkitError({
          ...base,
          code: 'HOST_KEY_REVOKED',
          message: `host key ${type} ${fingerprint} is marked @revoked`,
          hint: 'the host key was revoked; contact the host owner',
        }),
      };
    case 'changed':
      // Never accepted, whatever the flags say: this is what a MITM looks like.
      return {
        ok: false,
        error: new DropkitError({
          ...base,
          code: 'HOST_KEY_CHANGED',
          message: `HOST KEY CHANGED: ${policy.lookupHost} now offers ${type} ${fingerprint}, which differs from ${check.file}:${check.line}`,
          hint: `if the host was really re-installed, remove the old entry with: ssh-keygen -R ${bracket(policy.lookupHost, policy.port)} -f ${check.file}`,
        }),
      };
    case 'unknown': {
      // OpenSSH (hostfile.c) treats a host with recorded keys of other types
      // as CHANGED, not new: auto-accepting here would let an attacker who
      // only offers a different key type slip in.
      const other = knownKeyTypesFor(entries, policy.lookupHost, policy.port);
      if (other.length) {
        return {
          ok: false,
          error: new DropkitError({
            ...base,
            code: 'HOST_KEY_CHANGED',
            message: `HOST KEY CHANGED: ${policy.lookupHost} offers ${type} ${fingerprint}, but known_hosts only has ${other.join(', ')} for it`,
            hint: `if the host was really re-installed, remove the old entry with: ssh-keygen -R ${bracket(policy.lookupHost, policy.port)}`,
          }),
        };
      }
      const accept = policy.acceptNew || policy.strict === 'accept-new' || policy.strict === 'no';
      if (!accept) {
        return {
          ok: false,
          error: new DropkitError({
            ...base,
            code: 'HOST_KEY_UNKNOWN',
            message: `unknown host key for ${bracket(policy.lookupHost, policy.port)}: ${type} ${fingerprint}`,
            hint: `verify the fingerprint out of band, then rerun with --accept-new-host-key to record it in ${file}`,
          }),
        };
      }
      await appendKnownHost(file, formatKnownHostsLine(policy.lookupHost, policy.port, type, blob));
      return { ok: true, info: { status: 'accepted-new', type, fingerprint, file } };
    }
  }
}

function bracket(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}
