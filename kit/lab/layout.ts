// Pure description of a lab: names, addresses and generated config files.
// Everything that touches the system lives in the other lab modules.

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
}

export const LAB_FENCE = '198.18.0.0/15';
export const MAX_LAB_HOSTS = 8;

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

export function aliasFor(i: number): string {
  return `vm${String.fromCharCode(65 + i)}`;
}

export function labLayout(id: LabId, count: number): LabLayout {
  if (!Number.isInteger(count) || count < 2 || count > MAX_LAB_HOSTS) {
    throw new Error(`--hosts must be between 2 and ${MAX_LAB_HOSTS}`);
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
      mac: `02:d1:${id.octet.toString(16).padStart(2, '0')}:00:00:${(0x11 + i).toString(16)}`,
    });
  }
  return {
    id,
    bridge: `${id.prefix}-br`,
    bridgeAddress: `${base}.1`,
    prefixLen: 24,
    fence: LAB_FENCE,
    hosts,
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
    '',
  ].join('\n');
}

export function clientSshConfig(dir: string, layout: LabLayout): string {
  const lines = [
    `# Written by \`repro lab up\` (lab "${layout.id.name}"). Removed by \`repro lab down\`.`,
  ];
  for (const h of layout.hosts) {
    lines.push(
      `Host ${h.alias}`,
      `  HostName ${h.address}`,
      '  User root',
      '  Port 22',
      `  IdentityFile ${dir}/id_ed25519`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${dir}/known_hosts`,
      '  StrictHostKeyChecking yes',
      '  ConnectTimeout 5',
      '  ServerAliveInterval 2',
      '  ServerAliveCountMax 3',
      '',
    );
  }
  return lines.join('\n');
}
