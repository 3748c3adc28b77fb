// Test helper: a real OpenSSH sshd on 127.0.0.1 whose ForceCommand runs what
// dropkit sent (its stdin passed through) and pipes its stdout through a
// rewriter: a host that lies in its output. Everything lives in one temp dir,
// and nothing of the shared lab is used.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { shellQuote } from '../../../kit/shell-quote.js';

export const SSHD = '/usr/sbin/sshd';
const KEYGEN = '/usr/bin/ssh-keygen';

// Root (sshd must run as root to log in as root without touching /etc) and
// OpenSSH installed; else the tests are reported as skipped.
export function canRunHostileSshd(): boolean {
  return (
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    existsSync(SSHD) &&
    existsSync(KEYGEN)
  );
}

export interface HostileSshd {
  port: number;
  sshConfig: string;
  alias: string;
  process: ChildProcess;
  log: string;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

async function listening(port: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((r) => {
      const s = new Socket();
      const done = (up: boolean) => {
        s.destroy();
        r(up);
      };
      s.once('connect', () => done(true));
      s.once('error', () => done(false));
      s.connect(port, '127.0.0.1');
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

const keygen = (file: string) =>
  execFileSync(KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'hostile-test', '-f', file]);

// `rewriter` is a node script that reads the real stdout and writes the
// forged one, with `args`.
export async function startHostileSshd(
  dir: string,
  rewriter: string,
  args: string[],
): Promise<HostileSshd> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'client_key'));
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'client_key.pub')), {
    mode: 0o600,
  });
  // The real command, stdin passed through; its stdout forged on the way out.
  await writeFile(
    join(dir, 'force.sh'),
    `#!/bin/bash\nset -o pipefail\nsh -c "$SSH_ORIGINAL_COMMAND" | ${[process.execPath, rewriter, ...args].map(shellQuote).join(' ')}\n`,
    { mode: 0o700 },
  );
  const port = await freePort();
  const cfg = join(dir, 'sshd_config');
  await writeFile(
    cfg,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'MaxSessions 64',
      `ForceCommand ${join(dir, 'force.sh')}`,
      'LogLevel INFO',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  // Debian's sshd wants its privilege-separation directory (as the lab does).
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const log = join(dir, 'sshd.log');
  const proc = spawn(SSHD, ['-D', '-f', cfg, '-E', log], { detached: true, stdio: 'ignore' });
  if (!(await listening(port, 5000))) {
    proc.kill('SIGKILL');
    throw new Error(`sshd did not start on 127.0.0.1:${port}; see ${log}`);
  }
  const pub = (await readFile(join(dir, 'host_key.pub'), 'utf8')).trim().split(/\s+/);
  await writeFile(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${pub[0]} ${pub[1]}\n`, {
    mode: 0o600,
  });
  const sshConfig = join(dir, 'ssh_config');
  await writeFile(
    sshConfig,
    [
      'Host hostile',
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      '  User root',
      `  IdentityFile ${join(dir, 'client_key')}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
      '  StrictHostKeyChecking yes',
      '',
    ].join('\n'),
  );
  return { port, sshConfig, alias: 'hostile', process: proc, log };
}

// The collect CLI, bundled from the sources into `dir` (never into dist/,
// which the suite's own build owns), run as a user would: a separate process.
export async function buildCollectCli(dir: string): Promise<string> {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const out = join(dir, 'cli', 'collect.mjs');
  await build({
    entryPoints: [join(root, 'kit/cli/bin/collect.ts')],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['ssh2', 'cpu-features'],
    banner: {
      js: "import { createRequire as __dkCreateRequire } from 'node:module'; const require = __dkCreateRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  // ssh2 stays external, as in the shipped build: found through this link.
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
  // packageVersion() walks up to a package.json.
  await writeFile(join(dir, 'package.json'), '{"version":"0.0.0-test"}\n');
  return out;
}
