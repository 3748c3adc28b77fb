import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { type LabHost, type LabLayout, sshdConfig } from './layout.js';
import { pidAlive } from './netns.js';
import { sys } from './sys.js';
import { type LabBind, prepareLabUsers } from './user.js';

export const SSHD = '/usr/sbin/sshd';
// repro/mitigate/host-apply.ts's RECORD_DIR (the lab sits below repro).
export const LAB_RECORD_DIR = '/var/lib/dropkit';

export async function ensureKey(path: string, comment: string): Promise<string> {
  if (!existsSync(path)) {
    await sys('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  }
  return (await readFile(`${path}.pub`, 'utf8')).trim();
}

// What every host's sshd shares: the clean ~/.bashrc, the lab users' copies
// of /etc (user.ts) and the folders to mount on. Made once per `lab up`, not
// once per host: the copies are replaced by a rename of a fixed temporary
// name, which hosts started in parallel would race on.
export interface SshdShared {
  binds: LabBind[];
}

export async function prepareSshd(dir: string): Promise<SshdShared> {
  // Debian's sshd wants its privilege-separation directory.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  await writeFile(
    `${dir}/bashrc`,
    '# dropkit lab host: a clean root ~/.bashrc, as on a fresh VM\n',
  );
  const binds = await prepareLabUsers(dir);
  // /run/sudo itself is made as sudo (or systemd-tmpfiles) would, to mount on.
  await mkdir('/run/sudo', { recursive: true, mode: 0o711 });
  await mkdir(LAB_RECORD_DIR, { recursive: true, mode: 0o755 });
  return { binds };
}

// A real OpenSSH server per host, started inside the host's network
// namespace and its own UTS namespace, so `hostname` there prints the host's
// own name while the machine's stays untouched.
export async function startSshd(dir: string, host: LabHost, shared?: SshdShared): Promise<number> {
  const hostDir = `${dir}/${host.alias}`;
  await mkdir(hostDir, { recursive: true, mode: 0o700 });
  await ensureKey(`${hostDir}/ssh_host_ed25519_key`, `${host.hostname}`);
  const cfg = `${hostDir}/sshd_config`;
  await writeFile(cfg, sshdConfig(dir, host), { mode: 0o600 });
  await sys(SSHD, ['-t', '-f', cfg]);
  const binds = [...(shared ?? (await prepareSshd(dir))).binds];
  // sudo keeps its timestamps in /run/sudo, which the host shares with the
  // machine: each host gets its own, in the lab's state, gone at `lab down`.
  const sudoRun = `${hostDir}/run-sudo`;
  await mkdir(sudoRun, { recursive: true, mode: 0o711 });
  binds.push({ source: sudoRun, target: '/run/sudo' });
  // Where `repro mitigate --apply` installs and records (sysctl.d, udev
  // rules, /var/lib/dropkit): each host gets its own, in the lab's state, so
  // neither a test nor a user's try ever writes the machine's /etc. A target
  // the machine lacks is made only under /var/lib (prepareSshd: an empty
  // folder to mount on); /etc is never written.
  for (const [target, name] of [
    ['/etc/sysctl.d', 'etc-sysctl.d'],
    ['/etc/udev/rules.d', 'etc-udev-rules.d'],
    [LAB_RECORD_DIR, 'var-lib-dropkit'],
  ] as const) {
    if (!existsSync(target)) continue;
    const own = `${hostDir}/${name}`;
    await mkdir(own, { recursive: true, mode: 0o755 });
    binds.push({ source: own, target });
  }
  await rm(`${hostDir}/sshd.pid`, { force: true });
  // Positional parameters of the script below: $1-$4 fixed, then one per bind.
  const FIXED = 4;
  await sys('ip', [
    'netns',
    'exec',
    host.netns,
    'unshare',
    '--uts',
    '--',
    'sh',
    '-c',
    // The host gets its own mount namespace from `ip netns exec`. In it,
    // tracefs is mounted so drop tracing works as on a real VM, and root's
    // ~/.bashrc is replaced by an empty one: this machine's (pyenv init…)
    // adds ~80 ms to every SSH exec, which a fresh VM would not. The lab's
    // copies of passwd, group, shadow and sudoers.d add the non-root users
    // (user.ts) there only; without them sshd must not start, or a user would
    // be missing from a host that looks fine.
    [
      'hostname "$1"',
      '{ mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true; }',
      '{ [ ! -e /root/.bashrc ] || mount --bind "$4" /root/.bashrc; }',
      ...binds.map((b, i) => `mount --bind "\${${FIXED + 1 + i}}" ${b.target}`),
      `exec ${SSHD} -f "$2" -E "$3"`,
    ].join(' && '),
    'sh',
    host.hostname,
    cfg,
    `${hostDir}/sshd.log`,
    `${dir}/bashrc`,
    ...binds.map((b) => b.source),
  ]);
  // sshd daemonizes and writes its pid file once it listens: polled often,
  // as 64 hosts wait for it one after another, within the same 2.5 s.
  for (let i = 0; i < 250; i++) {
    const pid = Number.parseInt(await readFile(`${hostDir}/sshd.pid`, 'utf8').catch(() => ''), 10);
    if (pid && (await pidAlive(pid, 'sshd'))) return pid;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`sshd for ${host.alias} did not start; see ${hostDir}/sshd.log`);
}

export async function hostKeyLine(dir: string, host: LabHost): Promise<string> {
  const pub = (await readFile(`${dir}/${host.alias}/ssh_host_ed25519_key.pub`, 'utf8'))
    .trim()
    .split(/\s+/);
  return `${host.address} ${pub[0]} ${pub[1]}`;
}

export async function writeKnownHosts(dir: string, layout: LabLayout): Promise<void> {
  const lines = await Promise.all(layout.hosts.map((h) => hostKeyLine(dir, h)));
  await writeFile(`${dir}/known_hosts`, `${lines.join('\n')}\n`, { mode: 0o600 });
}
