import type { LabelCategory } from './categories.js';

// Names that identify nobody: the stock /etc/hosts entries, Kubernetes' and Azure's shared DNS
// suffixes, and words such as `default` that a search domain (`default.svc.cluster.local`) or a
// resource path (`subnets/default`) can hand us. Replacing them everywhere would also wreck
// unrelated text (`ip link` prints `group default`).
const NEVER_SENSITIVE = new Set([
  'localhost',
  'localhost.localdomain',
  'localdomain',
  'localhost6',
  'localhost6.localdomain6',
  'ip6-localhost',
  'ip6-loopback',
  'ip6-localnet',
  'ip6-mcastprefix',
  'ip6-allnodes',
  'ip6-allrouters',
  'ip6-allhosts',
  'broadcasthost',
  'default',
  'local',
  'internal',
  'none',
  '(none)',
  'null',
  'unknown',
  'cluster.local',
  'svc.cluster.local',
  'internal.cloudapp.net',
  'reddog.microsoft.com',
]);

// Accounts every Linux host has; their names and home directories are not personal.
const SYSTEM_USERS = new Set([
  'root',
  'nobody',
  'daemon',
  'bin',
  'sys',
  'sync',
  'adm',
  'lp',
  'mail',
  'news',
  'uucp',
  'proxy',
  'www-data',
  'backup',
  'list',
  'irc',
  'gnats',
  'syslog',
  'messagebus',
  'sshd',
  '_apt',
  'polkitd',
  'chrony',
  'ntp',
  'systemd-network',
  'systemd-resolve',
  'systemd-timesync',
]);

// One- and two-character host, user and resource names are not replaced as free-standing words:
// they would hit `vm.` sysctls and every short token in the outputs, and they carry almost no
// identity. Keywords are the user's explicit choice and have no minimum.
export const MIN_NAME_LENGTH = 3;

export function isKeptName(category: LabelCategory, value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (category === 'keyword') return false;
  if (v.length < MIN_NAME_LENGTH) return true;
  const lower = v.toLowerCase();
  if (NEVER_SENSITIVE.has(lower)) return true;
  if (category === 'user') return SYSTEM_USERS.has(v);
  // Pure numbers are instance ids (`virtualMachines/0`), ports or counters, not names.
  return /^\d+$/.test(v);
}

// Public suffixes whose left part is the tenant-specific bit: only that part is sensitive, and
// keeping the suffix tells the reader which cloud's DNS it is.
const PUBLIC_SUFFIXES = ['internal.cloudapp.net', 'svc.cluster.local', 'cluster.local'];

export function trimPublicSuffix(domain: string): string {
  const d = domain.trim().replace(/\.$/, '');
  const lower = d.toLowerCase();
  for (const suffix of PUBLIC_SUFFIXES) {
    if (lower === suffix) return '';
    if (lower.endsWith(`.${suffix}`)) return d.slice(0, d.length - suffix.length - 1);
  }
  return d;
}
