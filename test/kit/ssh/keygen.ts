// Test helper: real keys from OpenSSH's ssh-keygen, so formats are never hand-written.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const SSH_KEYGEN = '/usr/bin/ssh-keygen';
export const hasSshKeygen = existsSync(SSH_KEYGEN);

export interface GeneratedKey {
  /** `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, ... */
  type: string;
  blob: Buffer;
  base64: string;
  pubFile: string;
}

export function generateKey(dir: string, name: string, args: string[]): GeneratedKey {
  const file = path.join(dir, name);
  execFileSync(SSH_KEYGEN, ['-q', '-N', '', '-C', name, '-f', file, ...args]);
  const pubFile = `${file}.pub`;
  const [type, base64] = readFileSync(pubFile, 'utf8').trim().split(' ') as [string, string];
  return { type, base64, blob: Buffer.from(base64, 'base64'), pubFile };
}

/** Runs ssh-keygen and returns stdout and the exit status instead of throwing. */
export function keygen(args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync(SSH_KEYGEN, args, { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout };
}
