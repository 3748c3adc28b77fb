import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';

// ssh2 is CommonJS: named imports fail under Node's ESM loader.
const { utils } = ssh2;

export interface AuthCandidate {
  kind: 'agent' | 'publickey';
  label: string;
  agent?: string;
  key?: Buffer;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

// The order OpenSSH uses: the agent first (unless IdentitiesOnly), then the
// identity files. Unreadable or passphrase-protected files are skipped, with
// a note, because we never prompt for or accept a passphrase on argv.
export async function authCandidates(
  identityFiles: string[],
  identitiesOnly: boolean,
): Promise<{ candidates: AuthCandidate[]; notes: string[] }> {
  const notes: string[] = [];
  const candidates: AuthCandidate[] = [];
  const sock = process.env['SSH_AUTH_SOCK'];
  if (sock && !identitiesOnly) candidates.push({ kind: 'agent', label: 'ssh-agent', agent: sock });
  const files = identityFiles.length
    ? identityFiles
    : DEFAULT_KEYS.map((k) => join(homedir(), '.ssh', k));
  for (const file of files) {
    let key: Buffer;
    try {
      key = await readFile(file);
    } catch {
      if (identityFiles.length) notes.push(`identity file ${file} is not readable`);
      continue;
    }
    const parsed = utils.parseKey(key);
    if (parsed instanceof Error) {
      notes.push(
        `identity file ${file}: ${/encrypted/i.test(parsed.message) ? 'needs a passphrase (load it into ssh-agent)' : parsed.message}`,
      );
      continue;
    }
    candidates.push({ kind: 'publickey', label: `key ${file}`, key });
  }
  return { candidates, notes };
}
