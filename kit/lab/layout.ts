// Pure description of a lab: names, addresses and generated config files.
// Everything that touches the system lives in the other lab modules.
import { MAX_LAB_PODS } from './pod-layout.js';

export interface LabId {
  // Lab name: `default` for users, `test` for the test suite, so tests never
  // tear down a lab somebody is using.
  name: string;
  // Prefix of namespace and interface names; interface names max 15 chars.
  prefix: string;
  // Third octet inside 198.18.0.0/15.
  octet: number;
  stateDir: string;
}

export interface LabHost {
  alias: string;
  netns: string;
  // A realistic AKS node name, deliberately unlike the alias, so redaction
  // has a real hostname to find.
  hostname: string;
  address: string;
  hostVeth: string;
  mac: string;
}

export interface LabLayout {
  id: LabId;
  bridge: string;
  bridgeAddress: string;
  prefixLen: number;
  // The whole benchmarking range; an `unreachable` route covers it so lab
  // traffic can never leave the machine.
  fence: string;
  hosts: LabHost[];
  // Pods per host (pod-layout.ts); absent in the state of a lab made before pods.
  podsPerHost?: number;
}

export const LAB_FENCE = '198.18.0.0/15';
// A fleet's worth: 64 sshd start in a few seconds, and every name and
// address below stays valid (addresses end at .74, MACs at 0x50).
export const MAX_LAB_HOSTS = 64;
// vmA…vmZ, then numbered aliases (aliasFor).
const LETTER_ALIASES = 26;

// The non-root logins every lab host has (user.ts): one with no sudo rights,
// one with passwordless sudo, like a cloud VM's azureuser. Their ids are
// fixed, so tests can check them, and high, so they are unlikely taken.
export const LAB_USER = 'dklab';
export const LAB_UID = 64123;
export const LAB_GID = 64123;
export const LAB_SUDO_USER = 'dksudo';
export const LAB_SUDO_UID = 64124;
export const LAB_SUDO_GID = 64124;

export interface LabUser {
  name: string;
  uid: number;
  gid: number;
  // Passwordless sudo for everything, through the lab's sudoers drop-in.
  sudo: boolean;
  // The ssh alias suffix: `vmB-user` logs in to vmB as this user.
  suffix: string;
  comment: string;
}

export const PLAIN_LAB_USER: LabUser = {
  name: LAB_USER,
  uid: LAB_UID,
  gid: LAB_GID,
  sudo: false,
  suffix: 'user',
  comment: 'dropkit lab user',
};

export const SUDO_LAB_USER: LabUser = {
  name: LAB_SUDO_USER,
  uid: LAB_SUDO_UID,
  gid: LAB_SUDO_GID,
  sudo: true,
  suffix: 'sudo',
  comment: 'dropkit lab sudo user',
};

export const LAB_USERS: readonly LabUser[] = [PLAIN_LAB_USER, SUDO_LAB_USER];

// A typical cloud image's PATH for non-root logins (Ubuntu's
// /etc/environment, read through pam_env). Debian's sshd gives non-root
// users /usr/local/bin:/usr/bin:/bin:/usr/games, where ethtool and tc are
// missing; the lab's sshd runs without PAM, so it sets this with SetEnv.
export const LAB_USER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function labIdFor(name: string, stateRoot = '/run/dropkit'): LabId {
  if (!/^[a-z][a-z0-9]{0,7}$/.test(name))
    throw new Error(`lab name must be 1-8 lowercase letters or digits: ${name}`);
  // default → dk / 198.18.0.x, anything else gets its own prefix and subnet.
  if (name === 'default')
    return { name, prefix: 'dk', octet: 0, stateDir: `${stateRoot}/lab-default` };
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 200;
  return {
    name,
    prefix: `dk${name.slice(0, 3)}`,
    octet: 10 + h,
    stateDir: `${stateRoot}/lab-${name}`,
  };
}

// vmA…vmZ for the first 26 hosts, as every doc and test knows them; past
// that the host's number, 1-based and two digits, so host 27 is vm27 and the
// 64th vm64: unique (a letter never clashes with a digit), sorted by number
// among themselves, and `dkfle-vm64` is still a 10-character interface name.
export function aliasFor(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= MAX_LAB_HOSTS)
    throw new Error(`no lab host number ${i + 1} (max ${MAX_LAB_HOSTS})`);
  if (i < LETTER_ALIASES) return `vm${String.fromCharCode(65 + i)}`;
  return `vm${String(i + 1).padStart(2, '0')}`;
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

export function labLayout(id: LabId, count: number, pods = 0): LabLayout {
  if (!Number.isInteger(count) || count < 2 || count > MAX_LAB_HOSTS) {
    throw new Error(`--hosts must be between 2 and ${MAX_LAB_HOSTS}`);
  }
  if (!Number.isInteger(pods) || pods < 0 || pods > MAX_LAB_PODS) {
    throw new Error(`--pods must be between 0 and ${MAX_LAB_PODS}`);
  }
  const base = `198.18.${id.octet}`;
  const hosts: LabHost[] = [];
  for (let i = 0; i < count; i++) {
    const alias = aliasFor(i);
    hosts.push({
      alias,
      netns: `${id.prefix}-${alias}`,
      hostname: `aks-nodepool1-31754206-vmss${String(i).padStart(6, '0')}`,
      address: `${base}.${11 + i}`,
      hostVeth: `${id.prefix}-${alias}`,
      // Locally administered, fixed per host so runs are comparable.
      mac: `02:d1:${hex2(id.octet)}:00:00:${hex2(0x11 + i)}`,
    });
  }
  return {
    id,
    bridge: `${id.prefix}-br`,
    bridgeAddress: `${base}.1`,
    prefixLen: 24,
    fence: LAB_FENCE,
    hosts,
    podsPerHost: pods,
  };
}

export function sshdConfig(dir: string, host: LabHost): string {
  return [
    `# dropkit lab sshd for ${host.alias} (${host.netns})`,
    'Port 22',
    `ListenAddress ${host.address}`,
    `HostKey ${dir}/${host.alias}/ssh_host_ed25519_key`,
    `PidFile ${dir}/${host.alias}/sshd.pid`,
    `AuthorizedKeysFile ${dir}/authorized_keys`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The state dir lives under /run with root ownership; StrictModes would
    // reject the shared authorized_keys for the unprivileged lab user.
    'StrictModes no',
    // Collectors run several channels in parallel over one connection.
    'MaxSessions 64',
    'MaxStartups 64:30:128',
    'AllowTcpForwarding yes',
    // A cut link is noticed on both sides within seconds, as with a cloud
    // load balancer's idle timeout: the session ends and tied processes stop.
    'ClientAliveInterval 2',
    'ClientAliveCountMax 3',
    'LogLevel INFO',
    // Last: a Match block runs to the end of the file. Root keeps sshd's own
    // PATH, which already has the sbin directories.
    `Match User ${LAB_USERS.map((u) => u.name).join(',')}`,
    `  SetEnv PATH=${LAB_USER_PATH}`,
    '',
  ].join('\n');
}

export function clientSshConfig(dir: string, layout: LabLayout): string {
  const lines = [
    `# Written by \`repro lab up\` (lab "${layout.id.name}"). Removed by \`repro lab down\`.`,
  ];
  const block = (alias: string, h: LabHost, user: string) => [
    `Host ${alias}`,
    `  HostName ${h.address}`,
    `  User ${user}`,
    '  Port 22',
    `  IdentityFile ${dir}/id_ed25519`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${dir}/known_hosts`,
    '  StrictHostKeyChecking yes',
    '  ConnectTimeout 5',
    '  ServerAliveInterval 2',
    '  ServerAliveCountMax 3',
    '',
  ];
  for (const h of layout.hosts) lines.push(...block(h.alias, h, 'root'));
  // The same hosts as each non-root lab user (user.ts): `-user`, then `-sudo`.
  for (const u of LAB_USERS) {
    for (const h of layout.hosts) lines.push(...block(labUserAlias(h.alias, u), h, u.name));
  }
  return lines.join('\n');
}

export function labUserAlias(alias: string, user: LabUser): string {
  return `${alias}-${user.suffix}`;
}

// `vmB` → `vmB-user`: the alias that logs in as the user without sudo.
export function userAliasFor(alias: string): string {
  return labUserAlias(alias, PLAIN_LAB_USER);
}

// `vmB` → `vmB-sudo`: the alias that logs in as the passwordless sudo user.
export function sudoAliasFor(alias: string): string {
  return labUserAlias(alias, SUDO_LAB_USER);
}
