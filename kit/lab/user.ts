import {
  chmod,
  chown,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { DropkitError } from '../errors.js';
import { LAB_USERS, type LabUser } from './layout.js';

// The non-root logins every lab host has (layout.ts): `dklab`, with no sudo
// rights, so tests can check that dropkit refuses to apply settings as a
// user without passwordless sudo, and `dksudo`, with passwordless sudo, as a
// cloud VM's azureuser. They exist only inside each host's own mount
// namespace: sshd.ts bind-mounts these copies over /etc/passwd, /etc/group,
// /etc/shadow and /etc/sudoers.d there. The machine's own /etc is never
// written.

export const ACCOUNT_FILES = ['passwd', 'group', 'shadow'] as const;
export type AccountFile = (typeof ACCOUNT_FILES)[number];

export const SUDOERS = '/etc/sudoers';
export const SUDOERS_DIR = '/etc/sudoers.d';
// Named like cloud-init's `90-cloud-init-users`. No dot in it: sudo skips
// files whose name has one (the temporary copies below rely on that).
export const SUDOERS_DROP_IN = '90-dropkit-lab';

export function labUserHome(dir: string, user: LabUser): string {
  return `${dir}/home/${user.name}`;
}

// Where the lab's copy of /etc/<file> lives.
export function accountCopy(dir: string, file: AccountFile): string {
  return `${dir}/etc/${file}`;
}

// Where the lab's copy of /etc/sudoers.d lives.
export function sudoersCopy(dir: string): string {
  return `${dir}/etc/sudoers.d`;
}

// The line each file gets. The shadow entry is `*` (no password) rather than
// `!` (locked): sshd without PAM refuses locked accounts even for keys.
export function labUserLine(dir: string, file: AccountFile, user: LabUser): string {
  switch (file) {
    case 'passwd':
      return `${user.name}:x:${user.uid}:${user.gid}:${user.comment}:${labUserHome(dir, user)}:/bin/sh`;
    case 'group':
      return `${user.name}:x:${user.gid}:`;
    case 'shadow':
      return `${user.name}:*:::::::`;
  }
}

// The machine's file plus one line per lab user. A name or id already taken
// would make the lookups ambiguous, so that is an error, not a guess.
export function withLabUsers(dir: string, file: AccountFile, original: string): string {
  for (const user of LAB_USERS) {
    const id = String(file === 'group' ? user.gid : user.uid);
    for (const line of original.split('\n')) {
      const fields = line.split(':');
      if (fields[0] === user.name || (file !== 'shadow' && fields[2] === id)) {
        throw new DropkitError({
          code: 'LAB_FAILED',
          message: `/etc/${file} already has "${fields[0]}" (id ${fields[2] ?? '?'}); the lab adds its own user "${user.name}" (${user.uid}) inside each host`,
          step: 'lab up',
          hint: 'remove that entry from this machine, or change the lab users in kit/lab/layout.ts',
        });
      }
    }
  }
  const body = original === '' || original.endsWith('\n') ? original : `${original}\n`;
  return `${body}${LAB_USERS.map((u) => `${labUserLine(dir, file, u)}\n`).join('')}`;
}

// The drop-in that gives the sudo user its rights. `!fqdn`: Debian builds
// sudo to look up the host's name, which a lab host cannot resolve (a cloud
// VM can), and every sudo would print "unable to resolve host" on stderr.
export function sudoersDropIn(): string {
  const rules = LAB_USERS.filter((u) => u.sudo).map((u) => `${u.name} ALL=(ALL) NOPASSWD: ALL\n`);
  return [
    '# dropkit lab (kit/lab/user.ts): passwordless sudo, as on a cloud VM\n',
    'Defaults !fqdn\n',
    ...rules,
  ].join('');
}

// Whether /etc/sudoers reads /etc/sudoers.d: `@includedir` (sudo 1.9) or the
// older `#includedir`, which is a directive, not a comment.
export function includesSudoersDir(sudoers: string): boolean {
  return sudoers
    .split('\n')
    .some((l) => /^\s*[@#]includedir\s+("?)\/etc\/sudoers\.d\/?\1\s*$/.test(l));
}

function sudoersError(message: string, hint: string, code: 'LAB_FAILED' | 'TOOL_MISSING') {
  return new DropkitError({ code, message, step: 'lab up', hint });
}

// Checks that sudo will read the lab's drop-in directory, without which the
// sudo user would have no rights on a host that looks fine.
export function checkSudoers(sudoers: string | undefined): void {
  const who = LAB_USERS.filter((u) => u.sudo)
    .map((u) => `"${u.name}"`)
    .join(', ');
  if (sudoers === undefined) {
    throw sudoersError(
      `${SUDOERS} is missing: the lab's user ${who} needs sudo`,
      'apt-get install -y sudo   (or run scripts/install-deps.sh)',
      'TOOL_MISSING',
    );
  }
  if (!includesSudoersDir(sudoers)) {
    throw sudoersError(
      `${SUDOERS} has no "@includedir ${SUDOERS_DIR}": the lab's user ${who} gets its sudo rights from a drop-in there`,
      `add the line "@includedir ${SUDOERS_DIR}" to ${SUDOERS} with visudo (Debian's default has it)`,
      'LAB_FAILED',
    );
  }
}

// Replaces `path` with `text` by a rename, so a host that already has the
// previous copy mounted never sees a half-written file.
async function writeCopy(
  path: string,
  text: string | Buffer,
  owner: { uid: number; gid: number; mode: number },
): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await chown(tmp, owner.uid, owner.gid);
  await chmod(tmp, owner.mode & 0o7777);
  await rename(tmp, path);
}

// A copy of the machine's /etc/sudoers.d plus the lab's drop-in, owned by
// root and writable by nobody else, as sudo insists. The directory itself is
// kept (never replaced), so hosts that already mount it see the new contents.
async function prepareSudoers(dir: string): Promise<string> {
  checkSudoers(await readFile(SUDOERS, 'utf8').catch(() => undefined));
  const copy = sudoersCopy(dir);
  const st = await stat(SUDOERS_DIR).catch(() => undefined);
  await mkdir(copy, { recursive: true, mode: 0o750 });
  await chown(copy, 0, 0);
  await chmod(copy, st ? st.mode & 0o755 : 0o750);
  const wanted = new Set([SUDOERS_DROP_IN]);
  for (const name of await readdir(SUDOERS_DIR).catch(() => [] as string[])) {
    if (name === SUDOERS_DROP_IN) continue;
    const from = `${SUDOERS_DIR}/${name}`;
    const fst = await stat(from).catch(() => undefined);
    if (!fst?.isFile()) continue;
    await writeCopy(`${copy}/${name}`, await readFile(from), fst);
    wanted.add(name);
  }
  await writeCopy(`${copy}/${SUDOERS_DROP_IN}`, sudoersDropIn(), { uid: 0, gid: 0, mode: 0o440 });
  for (const name of await readdir(copy)) {
    if (!wanted.has(name)) await rm(`${copy}/${name}`, { recursive: true, force: true });
  }
  return copy;
}

// Each machine path a lab host sees replaced, and the lab's copy for it.
export interface LabBind {
  source: string;
  target: string;
}

// Writes the copies (same owner and mode as the originals: shadow stays
// unreadable to the users) and the users' homes. Idempotent.
export async function prepareLabUsers(dir: string): Promise<LabBind[]> {
  await mkdir(`${dir}/etc`, { recursive: true, mode: 0o700 });
  const binds: LabBind[] = [];
  for (const file of ACCOUNT_FILES) {
    const original = `/etc/${file}`;
    const copy = accountCopy(dir, file);
    await writeCopy(
      copy,
      withLabUsers(dir, file, await readFile(original, 'utf8')),
      await stat(original),
    );
    binds.push({ source: copy, target: original });
  }
  binds.push({ source: await prepareSudoers(dir), target: SUDOERS_DIR });
  // sshd changes into the home directory and complains on the session's
  // stderr when it cannot. The state dir is 0711, so the users can reach it.
  await mkdir(`${dir}/home`, { recursive: true, mode: 0o711 });
  for (const user of LAB_USERS) {
    const home = labUserHome(dir, user);
    await mkdir(home, { recursive: true, mode: 0o700 });
    await chown(home, user.uid, user.gid);
  }
  return binds;
}
