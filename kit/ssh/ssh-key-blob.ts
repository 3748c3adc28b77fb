// Helpers for public keys in SSH wire format (RFC 4253 §6.6): the blob that known_hosts
// stores base64-encoded and that the server sends during key exchange.

import { createHash } from 'node:crypto';

/** Reads the leading SSH `string` (uint32 length + bytes): the key type name. Throws if malformed. */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) throw new Error('SSH key blob too short');
  const len = blob.readUInt32BE(0);
  // Real type names are short ASCII; a huge length means this is not a key blob.
  if (len === 0 || len > 64 || 4 + len > blob.length) {
    throw new Error('SSH key blob has an invalid type field');
  }
  const type = blob.toString('latin1', 4, 4 + len);
  if (!/^[\x21-\x7e]+$/.test(type)) throw new Error('SSH key blob type is not printable ASCII');
  return type;
}

/** Like keyTypeOfBlob but returns undefined instead of throwing. */
export function tryKeyTypeOfBlob(blob: Buffer): string | undefined {
  try {
    return keyTypeOfBlob(blob);
  } catch {
    return undefined;
  }
}

/** `SHA256:<unpadded base64>`, byte-for-byte what `ssh-keygen -lf` prints. */
export function fingerprintSha256(keyBlob: Buffer): string {
  const digest = createHash('sha256').update(keyBlob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/**
 * Maps a signature algorithm name to the key type stored in known_hosts: RSA keys are
 * negotiated as rsa-sha2-256/512 but always recorded as ssh-rsa.
 */
export function keyTypeForAlgorithm(algorithm: string): string {
  if (algorithm === 'rsa-sha2-256' || algorithm === 'rsa-sha2-512') return 'ssh-rsa';
  if (
    algorithm === 'rsa-sha2-256-cert-v01@openssh.com' ||
    algorithm === 'rsa-sha2-512-cert-v01@openssh.com'
  ) {
    return 'ssh-rsa-cert-v01@openssh.com';
  }
  return algorithm;
}
