import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DropkitError } from '../kit/errors.js';

// The per-case key of the pseudonyms. It lives on the operator's machine
// (never in a bundle), so the same address maps to the same token in every
// bundle of a case, and nobody holding only the bundles can reverse them.
// Without --case, bundles share the "default" case.

export function casesDir(): string {
  const base = process.env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(base, 'dropkit', 'cases');
}

export function checkCaseId(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id)) {
    throw new DropkitError({
      code: 'USAGE',
      message: `invalid case ID "${id}"`,
      step: 'bundle',
      hint: 'use letters, digits, dot, dash and underscore (max 64), e.g. --case 2611270040001234',
    });
  }
  return id;
}

export async function caseSecret(caseId: string | undefined): Promise<Buffer> {
  const dir = casesDir();
  const file = join(dir, `${checkCaseId(caseId ?? 'default')}.key`);
  try {
    const hex = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
  } catch {
    // Not created yet.
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // wx: two runs racing for a new case must not end up with two keys.
  try {
    await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch {
    // Another run made it in between, or the file is there but damaged:
    // never key the pseudonyms with something short or garbled.
    const hex = (await readFile(file, 'utf8').catch(() => '')).trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
    throw new DropkitError({
      code: 'USAGE',
      message: `the key of case "${caseId ?? 'default'}" at ${file} is not 64 hex digits`,
      step: 'bundle',
      hint: "restore it from a backup to keep this case's pseudonyms, or remove it to start new ones",
    });
  }
}
