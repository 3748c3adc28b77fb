// Parser for OpenSSH known_hosts files (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"). Lines that
// do not parse become warnings with file:line, as OpenSSH skips them too; it never throws.

import { keyTypeOfBlob } from './ssh-key-blob.js';

export type KnownHostMarker = 'cert-authority' | 'revoked';

/** The host-name field: either OpenSSH's hashed form or a comma-separated pattern list. */
export type KnownHostNames =
  | { kind: 'hashed'; salt: Buffer; hash: Buffer }
  | { kind: 'patterns'; patterns: string };

export interface KnownHostEntry {
  file: string;
  line: number;
  marker?: KnownHostMarker;
  hosts: KnownHostNames;
  keyType: string;
  keyBlob: Buffer;
  comment?: string;
}

export interface ParsedKnownHosts {
  entries: KnownHostEntry[];
  warnings: string[];
}

const HASH_MAGIC = '|1|';
const SHA1_LEN = 20;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeBase64(text: string): Buffer | undefined {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
}

function parseHostsField(field: string): KnownHostNames | string {
  if (!field.startsWith('|')) return { kind: 'patterns', patterns: field };
  if (!field.startsWith(HASH_MAGIC)) return 'unsupported hashed host format';
  const parts = field.slice(HASH_MAGIC.length).split('|');
  const salt = parts.length === 2 ? decodeBase64(parts[0]!) : undefined;
  const hash = parts.length === 2 ? decodeBase64(parts[1]!) : undefined;
  if (salt?.length !== SHA1_LEN || hash?.length !== SHA1_LEN) return 'malformed hashed host name';
  return { kind: 'hashed', salt, hash };
}

function parseMarker(token: string): KnownHostMarker | undefined {
  if (token === '@cert-authority') return 'cert-authority';
  if (token === '@revoked') return 'revoked';
  return undefined;
}

function parseLine(text: string, file: string, line: number): KnownHostEntry | string | undefined {
  let rest = text.replace(/^[ \t]+/, '').replace(/[ \t\r]+$/, '');
  if (rest === '' || rest.startsWith('#')) return undefined;

  let marker: KnownHostMarker | undefined;
  if (rest.startsWith('@')) {
    const token = rest.split(/[ \t]/, 1)[0]!;
    marker = parseMarker(token);
    if (marker === undefined) return `unknown marker "${token}"`;
    rest = rest.slice(token.length).replace(/^[ \t]+/, '');
  }

  const fields = rest.split(/[ \t]+/);
  if (fields.length < 3) return 'expected "hostnames keytype base64-key [comment]"';
  const [hostsField, keyType, keyText] = fields as [string, string, string];
  // Pre-2.0 RSA1 lines are "host bits exponent modulus"; modern OpenSSH ignores them too.
  if (/^\d+$/.test(keyType)) return 'legacy SSH1 RSA key ignored';

  const hosts = parseHostsField(hostsField);
  if (typeof hosts === 'string') return hosts;
  const keyBlob = decodeBase64(keyText);
  if (keyBlob === undefined) return `key for ${keyType} is not valid base64`;
  let blobType: string;
  try {
    blobType = keyTypeOfBlob(keyBlob);
  } catch (err) {
    return (err as Error).message;
  }
  if (blobType !== keyType) return `key type "${keyType}" does not match key data ("${blobType}")`;

  const entry: KnownHostEntry = { file, line, hosts, keyType, keyBlob };
  if (marker !== undefined) entry.marker = marker;
  if (fields.length > 3) entry.comment = fields.slice(3).join(' ');
  return entry;
}

/** Parses known_hosts text; `file` is only used to label entries and warnings. */
export function parseKnownHosts(text: string, file: string): ParsedKnownHosts {
  const entries: KnownHostEntry[] = [];
  const warnings: string[] = [];
  text.split('\n').forEach((lineText, index) => {
    const result = parseLine(lineText, file, index + 1);
    if (typeof result === 'string') warnings.push(`${file}:${index + 1}: ${result}`);
    else if (result !== undefined) entries.push(result);
  });
  return { entries, warnings };
}
