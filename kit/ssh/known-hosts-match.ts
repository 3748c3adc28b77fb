// Host-key verification against parsed known_hosts entries, following OpenSSH's
// hostfile.c: look the host up as "host" (port 22) or "[host]:port", match plain patterns
// or HMAC-SHA1 hashed names, and report match / unknown / changed / revoked.

import { createHmac, randomBytes } from 'node:crypto';
import type { KnownHostEntry } from './known-hosts-parse.js';
import { matchPatternList } from './patterns.js';
import { keyTypeForAlgorithm, keyTypeOfBlob, tryKeyTypeOfBlob } from './ssh-key-blob.js';

export type HostKeyCheck =
  | { status: 'match' }
  | { status: 'unknown' }
  | { status: 'changed'; knownTypes: string[]; file: string; line: number }
  | { status: 'revoked' };

/** The name OpenSSH stores and looks up: `host` for port 22, else `[host]:port`, lower-cased. */
export function knownHostsName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** OpenSSH host hashing: HMAC-SHA1 keyed with the salt over the lookup name. */
export function hashHostName(name: string, salt: Buffer): Buffer {
  return createHmac('sha1', salt).update(name).digest();
}

function entryMatchesName(entry: KnownHostEntry, name: string): boolean {
  if (entry.hosts.kind === 'hashed') {
    return hashHostName(name, entry.hosts.salt).equals(entry.hosts.hash);
  }
  return matchPatternList(name, entry.hosts.patterns, true) === 'match';
}

/** Plain (unmarked) entries that apply to host:port. */
function entriesFor(entries: KnownHostEntry[], host: string, port: number): KnownHostEntry[] {
  const name = knownHostsName(host, port);
  return entries.filter((e) => e.marker === undefined && entryMatchesName(e, name));
}

/**
 * Key types already recorded for host:port, in file order. The transport should offer
 * these host key algorithms first, as OpenSSH does, so a host known only by its RSA key is
 * not reported as unknown just because it also has an ed25519 key.
 */
export function knownKeyTypesFor(entries: KnownHostEntry[], host: string, port: number): string[] {
  return [...new Set(entriesFor(entries, host, port).map((e) => e.keyType))];
}

/**
 * Checks the key a server presented. `keyType` may be the negotiated algorithm
 * (rsa-sha2-512 is treated as ssh-rsa); the blob's own type wins when it is readable.
 * `changed` only when an entry of the same type holds a different key; entries of other
 * types alone give `unknown` (see knownKeyTypesFor).
 */
export function checkHostKey(
  entries: KnownHostEntry[],
  host: string,
  port: number,
  keyType: string,
  keyBlob: Buffer,
): HostKeyCheck {
  // A revoked key is refused for every host, even if its @revoked line names other hosts:
  // a key that leaked once is not trustworthy anywhere. (OpenSSH only looks at lines
  // matching the host; this is deliberately stricter.)
  if (entries.some((e) => e.marker === 'revoked' && e.keyBlob.equals(keyBlob))) {
    return { status: 'revoked' };
  }
  const type = tryKeyTypeOfBlob(keyBlob) ?? keyTypeForAlgorithm(keyType);
  const known = entriesFor(entries, host, port);
  // Any matching line wins, even if another line for the host holds a different key.
  const matches = known.some((e) => e.keyType === type && e.keyBlob.equals(keyBlob));
  if (matches) return { status: 'match' };
  const offending = known.find((e) => e.keyType === type);
  if (offending === undefined) return { status: 'unknown' };
  return {
    status: 'changed',
    knownTypes: [...new Set(known.map((e) => e.keyType))],
    file: offending.file,
    line: offending.line,
  };
}

export interface FormatKnownHostsOptions {
  /** Store the name hashed, like `HashKnownHosts yes`. */
  hash?: boolean;
  /** Fixed 20-byte salt for hashing (tests); random by default. */
  salt?: Buffer;
}

/**
 * One known_hosts line without the trailing newline. Throws if the host name could not be
 * written safely (OpenSSH refuses the same characters) or if keyType contradicts the blob.
 */
export function formatKnownHostsLine(
  host: string,
  port: number,
  keyType: string,
  blob: Buffer,
  opts: FormatKnownHostsOptions = {},
): string {
  if (host === '' || /[\s,@?*#[\]|'"\\!]/.test(host)) {
    throw new Error(`refusing to record unsafe host name "${host}" in known_hosts`);
  }
  const blobType = keyTypeOfBlob(blob);
  if (keyTypeForAlgorithm(keyType) !== blobType) {
    throw new Error(`key type ${keyType} does not match key data (${blobType})`);
  }
  const name = knownHostsName(host, port);
  let field = name;
  if (opts.hash) {
    const salt = opts.salt ?? randomBytes(20);
    if (salt.length !== 20) throw new Error('known_hosts hash salt must be 20 bytes');
    field = `|1|${salt.toString('base64')}|${hashHostName(name, salt).toString('base64')}`;
  }
  return `${field} ${blobType} ${blob.toString('base64')}`;
}
