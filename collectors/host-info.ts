import type { HostFacts } from './model.js';
import type { CollectorSpec } from './spec.js';

// Who the host is: kernel, distro, CPUs, uptime. Also the names the redactor
// must find (hostname, FQDN, /etc/hosts, search domains).

export const unameCollector: CollectorSpec = {
  id: 'uname',
  description: 'kernel release and machine (uname -a)',
  source: { kind: 'command', argv: ['uname', '-a'] },
  scope: 'global',
  rawPath: 'host/uname.txt',
};

export const osReleaseCollector: CollectorSpec = {
  id: 'os_release',
  description: 'distribution (/etc/os-release)',
  source: { kind: 'file', path: '/etc/os-release' },
  scope: 'global',
  rawPath: 'host/os-release',
};

export const hostnameCollector: CollectorSpec = {
  id: 'hostname',
  description: 'host name and FQDN',
  source: { kind: 'shell', sh: 'uname -n; hostname -f 2>/dev/null || true' },
  scope: 'global',
  rawPath: 'host/hostname.txt',
};

// Two "hosts" with the same boot_id are one kernel (containers, the lab):
// machine-wide counters such as softnet_stat must then be counted once.
export const bootIdCollector: CollectorSpec = {
  id: 'boot_id',
  description: 'kernel boot ID (/proc/sys/kernel/random/boot_id)',
  source: { kind: 'file', path: '/proc/sys/kernel/random/boot_id' },
  scope: 'global',
  rawPath: 'host/boot_id',
};

export const cpuCollector: CollectorSpec = {
  id: 'cpu',
  description: 'online CPU count and CPU model',
  source: {
    kind: 'shell',
    sh: "getconf _NPROCESSORS_ONLN 2>/dev/null || nproc; grep -m1 -E '^(model name|Hardware|CPU part|cpu model)' /proc/cpuinfo; exit 0",
  },
  scope: 'global',
  rawPath: 'host/cpu.txt',
};

export const uptimeCollector: CollectorSpec = {
  id: 'uptime',
  description: 'seconds since boot (/proc/uptime): "since boot" counters are over this long',
  source: { kind: 'file', path: '/proc/uptime' },
  scope: 'global',
  rawPath: 'host/uptime',
};

export const etcHostsCollector: CollectorSpec = {
  id: 'etc_hosts',
  description: '/etc/hosts (names for redaction)',
  source: { kind: 'file', path: '/etc/hosts' },
  scope: 'global',
  rawPath: 'host/etc-hosts',
};

export const resolvConfCollector: CollectorSpec = {
  id: 'resolv_conf',
  description: '/etc/resolv.conf (search domains for redaction)',
  source: { kind: 'file', path: '/etc/resolv.conf' },
  scope: 'global',
  rawPath: 'host/resolv.conf',
};

// Pure: facts from the raw texts of the sections above.
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
