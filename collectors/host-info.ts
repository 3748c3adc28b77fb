import { asText, type Contribution, intoSnapshot } from './contribution.js';
import { shownName } from './iface-name.js';
import type { HostFacts } from './model.js';
import { rawOnly } from './raw-only.js';
import { isValidHostName } from './snapshot/accept.js';
import type { CollectorSpec } from './spec.js';

// Who the host is: kernel, distro, CPUs, uptime. Also the names the redactor
// must find (hostname, FQDN, /etc/hosts, search domains).

type HostTexts = Parameters<typeof parseHostFacts>[0];

// One source's share of the host facts.
const fact = (key: keyof HostTexts): Contribution =>
  intoSnapshot(asText, (text, d) => {
    Object.assign(d.fields.facts, parseHostFacts({ [key]: text }));
  });

export const unameCollector: CollectorSpec = {
  id: 'uname',
  description: 'kernel release and machine (uname -a)',
  source: { kind: 'command', argv: ['uname', '-a'] },
  scope: 'global',
  rawPath: 'host/uname.txt',
  sos: ['sos_commands/kernel/uname_-a', 'uname'],
  model: fact('uname'),
};

export const osReleaseCollector: CollectorSpec = {
  id: 'os_release',
  description: 'distribution (/etc/os-release)',
  source: { kind: 'file', path: '/etc/os-release' },
  scope: 'global',
  rawPath: 'host/os-release',
  sos: ['etc/os-release'],
  model: fact('osRelease'),
};

export const hostnameCollector: CollectorSpec = {
  id: 'hostname',
  description: 'host name and FQDN',
  // The node name as `uname -n` prints it, read by the shell itself (a
  // string sysctl reads whole even byte by byte); `uname` if it cannot.
  source: {
    kind: 'shell',
    sh: '{ IFS= read -r n < /proc/sys/kernel/hostname && printf \'%s\\n\' "$n"; } 2>/dev/null || uname -n; hostname -f 2>/dev/null || true',
  },
  scope: 'global',
  rawPath: 'host/hostname.txt',
  sos: ['sos_commands/general/hostname', 'hostname'],
  model: intoSnapshot(asText, (text, d) => {
    const { hostname } = parseHostFacts({ hostname: text });
    if (hostname === undefined) return;
    // The host's name labels its folder in a bundle (hosts/<name>/): one that
    // is no host name is not used; the name the operator typed stands in.
    if (isValidHostName(hostname)) d.fields.facts.hostname = hostname;
    else d.warnings.push(`host name ${shownName(hostname)} ignored: not a valid host name`);
  }),
};

// Two "hosts" with the same boot_id are one kernel (containers, the lab):
// machine-wide counters such as softnet_stat must then be counted once.
export const bootIdCollector: CollectorSpec = {
  id: 'boot_id',
  description: 'kernel boot ID (/proc/sys/kernel/random/boot_id)',
  source: { kind: 'file', path: '/proc/sys/kernel/random/boot_id' },
  scope: 'global',
  rawPath: 'host/boot_id',
  model: fact('bootId'),
};

export const cpuCollector: CollectorSpec = {
  id: 'cpu',
  description: 'online CPU count and CPU model',
  source: {
    kind: 'shell',
    // The model line is found by the shell itself (grep -m1 was a fork):
    // the first line that starts with one of these names.
    sh: "getconf _NPROCESSORS_ONLN 2>/dev/null || nproc; while IFS= read -r l; do case $l in 'model name'* | Hardware* | 'CPU part'* | 'cpu model'*) printf '%s\\n' \"$l\"; break ;; esac; done < /proc/cpuinfo; exit 0",
  },
  scope: 'global',
  rawPath: 'host/cpu.txt',
  model: fact('cpu'),
};

export const uptimeCollector: CollectorSpec = {
  id: 'uptime',
  description: 'seconds since boot (/proc/uptime): "since boot" counters are over this long',
  source: { kind: 'file', path: '/proc/uptime' },
  scope: 'global',
  rawPath: 'host/uptime',
  sos: ['proc/uptime'],
  model: fact('uptime'),
};

// Read by the redactor from the raw files, not by the snapshot.
export const etcHostsCollector = rawOnly({
  id: 'etc_hosts',
  description: '/etc/hosts (names for redaction)',
  source: { kind: 'file', path: '/etc/hosts' },
  rawPath: 'host/etc-hosts',
  sos: ['etc/hosts'],
});

export const resolvConfCollector = rawOnly({
  id: 'resolv_conf',
  description: '/etc/resolv.conf (search domains for redaction)',
  source: { kind: 'file', path: '/etc/resolv.conf' },
  rawPath: 'host/resolv.conf',
  sos: ['etc/resolv.conf'],
});

// Pure: facts from the raw texts of the sections above (each source's
// contribution passes its own).
export function parseHostFacts(raw: {
  uname?: string;
  osRelease?: string;
  hostname?: string;
  cpu?: string;
  bootId?: string;
  uptime?: string;
}): HostFacts {
  const facts: HostFacts = {};
  const boot = raw.bootId?.trim();
  if (boot && /^[0-9a-f-]{36}$/.test(boot)) facts.bootId = boot;
  const uname = raw.uname?.trim();
  if (uname) {
    facts.uname = uname;
    const release = uname.split(/\s+/)[2];
    if (release) facts.kernelRelease = release;
  }
  const pretty = raw.osRelease?.match(/^PRETTY_NAME=("?)(.*)\1$/m)?.[2];
  if (pretty) facts.os = pretty;
  const names =
    raw.hostname
      ?.split('\n')
      .map((l) => l.trim())
      .filter(Boolean) ?? [];
  if (names[0]) facts.hostname = names[0];
  const cpuLines = raw.cpu?.split('\n') ?? [];
  const n = Number.parseInt(cpuLines[0] ?? '', 10);
  if (Number.isFinite(n)) facts.cpus = n;
  const model = cpuLines
    .find((l) => l.includes(':'))
    ?.split(':')
    .slice(1)
    .join(':')
    .trim();
  if (model) facts.cpuModel = model;
  const up = Number.parseFloat(raw.uptime?.split(/\s+/)[0] ?? '');
  if (Number.isFinite(up)) facts.uptimeSec = up;
  return facts;
}
