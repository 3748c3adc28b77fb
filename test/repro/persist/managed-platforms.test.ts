import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { generate } from '../../../repro/persist/generate.js';
import type { PlatformOutput } from '../../../repro/persist/types.js';
import { ENA, file, GVE, SEED } from './plans.js';

// AKS linuxOSConfig.sysctls: field names and allowed ranges from
// https://learn.microsoft.com/azure/aks/custom-node-configuration-reference
const AKS_FIELDS: Record<string, [number, number]> = {
  netCoreNetdevMaxBacklog: [1000, 3240000],
  netCoreSomaxconn: [4096, 3240000],
  netIpv4TcpMaxSynBacklog: [128, 3240000],
  netCoreRmemMax: [212992, 134217728],
  netCoreRmemDefault: [212992, 134217728],
};

// GKE linuxConfig.sysctl: the allowed keys among ours and their ranges, from
// https://cloud.google.com/kubernetes-engine/docs/how-to/node-system-config
// (as listed by gcloud container node-pools create --system-config-from-file).
const GKE_SYSCTLS: Record<string, [number, number]> = {
  'net.core.netdev_max_backlog': [1, 2147483646],
  'net.core.rmem_default': [2304, 2147483647],
  'net.core.rmem_max': [2304, 2147483647],
  'net.core.somaxconn': [128, 2147483647],
};

function yamlDocs(text: string) {
  const docs = parseAllDocuments(text);
  for (const d of Array.isArray(docs) ? docs : [docs]) expect(d.errors).toEqual([]);
  return (Array.isArray(docs) ? docs : [docs]).map((d) => d.toJS());
}

// biome-ignore lint/suspicious/noExplicitAny: a parsed manifest
function checkDaemonSet(ds: any, driver: string, rx: number) {
  expect(ds.apiVersion).toBe('apps/v1');
  expect(ds.kind).toBe('DaemonSet');
  const pod = ds.spec.template.spec;
  expect(ds.spec.selector.matchLabels).toEqual(
    Object.fromEntries(
      Object.entries(ds.spec.template.metadata.labels).filter(
        ([k]) => k in ds.spec.selector.matchLabels,
      ),
    ),
  );
  expect(pod.hostNetwork).toBe(true);
  expect(pod.hostPID).toBeUndefined();
  expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  expect(pod.tolerations).toContainEqual({ operator: 'Exists' });
  const c = pod.containers[0];
  expect(c.securityContext.privileged).toBe(true);
  expect(c.resources.requests).toBeDefined();
  expect(c.image).toMatch(/:[\w.-]+$/); // pinned tag
  const script = c.command.at(-1) as string;
  expect(script).toContain(`= "${driver}"`);
  expect(script).toContain(`rx ${rx}`);
  const rulesMount = c.volumeMounts.find(
    (m: { mountPath: string }) => m.mountPath === '/host-rules',
  );
  const vol = pod.volumes.find((v: { name: string }) => v.name === rulesMount.name);
  expect(vol.hostPath.path).toBe('/etc/udev/rules.d');
  return script;
}

describe('aks', () => {
  const out = generate('aks', SEED);

  it('writes linuxOSConfig with netCoreNetdevMaxBacklog 32768, inside the documented ranges', () => {
    const cfg = JSON.parse(file(out, 'aks/linuxosconfig.json'));
    expect(Object.keys(cfg)).toEqual(['sysctls']);
    expect(cfg.sysctls.netCoreNetdevMaxBacklog).toBe(32768);
    for (const [k, v] of Object.entries(cfg.sysctls)) {
      expect(AKS_FIELDS[k], k).toBeDefined();
      const [lo, hi] = AKS_FIELDS[k]!;
      expect(v).toBeGreaterThanOrEqual(lo);
      expect(v).toBeLessThanOrEqual(hi);
    }
    expect(file(out, 'README.md')).toContain(
      'az aks nodepool add --resource-group <rg> --cluster-name <cluster> --name <pool> --linux-os-config aks/linuxosconfig.json',
    );
    expect(out.notes.join(' ')).toMatch(/only when a node pool is created/);
  });

  it('clamps into AKS ranges and notes it', () => {
    const o = generate('aks', {
      ring: [],
      sysctls: [
        { name: 'net.core.somaxconn', target: 1024, because: 'x' },
        { name: 'net.core.rmem_max', target: 268435456, because: 'y' },
        { name: 'net.ipv4.tcp_max_syn_backlog', target: 8192, because: 'z' },
        { name: 'net.core.rmem_default', target: 1048576, because: 'w' },
      ],
    });
    const cfg = JSON.parse(file(o, 'aks/linuxosconfig.json'));
    expect(cfg.sysctls).toEqual({
      netCoreSomaxconn: 4096,
      netCoreRmemMax: 134217728,
      netIpv4TcpMaxSynBacklog: 8192,
      netCoreRmemDefault: 1048576,
    });
    expect(o.notes.filter((n) => n.includes('outside AKS'))).toHaveLength(2);
  });

  it('gives a valid privileged hostNetwork DaemonSet and its cleanup', () => {
    const [ds] = yamlDocs(file(out, 'aks/ring-daemonset.yaml'));
    const script = checkDaemonSet(ds, 'mlx5_core', 8192);
    expect(script).toContain('DRIVERS=="hv_pci", ENV{ID_NET_DRIVER}=="mlx5_core"');
    const [clean] = yamlDocs(file(out, 'aks/ring-cleanup-daemonset.yaml'));
    expect(checkDaemonSet(clean, 'mlx5_core', 1024)).toContain('rm -f "$rules"');
    expect(file(out, 'aks/rollback.sh')).toContain(
      'kubectl delete --ignore-not-found -f aks/ring-daemonset.yaml',
    );
  });
});

describe('gke', () => {
  const out = generate('gke', GVE);

  it('writes only GKE-allowed sysctls, as strings, in range; the rest are problems', () => {
    const [cfg] = yamlDocs(file(out, 'gke/node-system-config.yaml'));
    expect(Object.keys(cfg)).toEqual(['linuxConfig']);
    expect(cfg.linuxConfig.sysctl['net.core.netdev_max_backlog']).toBe('32768');
    for (const [k, v] of Object.entries(cfg.linuxConfig.sysctl)) {
      expect(GKE_SYSCTLS[k], k).toBeDefined();
      expect(typeof v).toBe('string');
      expect(Number(v)).toBeGreaterThanOrEqual(GKE_SYSCTLS[k]![0]);
      expect(Number(v)).toBeLessThanOrEqual(GKE_SYSCTLS[k]![1]);
    }
    expect(cfg.linuxConfig.sysctl['net.ipv4.tcp_max_syn_backlog']).toBeUndefined();
    expect(out.problems.join(' ')).toContain('net.ipv4.tcp_max_syn_backlog');
    const [back] = yamlDocs(file(out, 'gke/node-system-config-rollback.yaml'));
    expect(back.linuxConfig.sysctl['net.core.netdev_max_backlog']).toBe('1000');
    expect(file(out, 'README.md')).toContain(
      '--system-config-from-file=gke/node-system-config.yaml',
    );
  });

  it('persists the gve ring through a DaemonSet', () => {
    const [ds] = yamlDocs(file(out, 'gke/ring-daemonset.yaml'));
    expect(checkDaemonSet(ds, 'gve', 4096)).toContain('DRIVERS=="gve"');
  });
});

describe('eks', () => {
  const out: PlatformOutput = generate('eks', { ...ENA, sysctls: SEED.sysctls });

  it('writes MIME multi-part user data with a shell part', () => {
    const mime = file(out, 'eks/user-data.mime');
    const boundary = /^Content-Type: multipart\/mixed; boundary="([^"]+)"$/m.exec(mime)?.[1];
    expect(boundary).toBeDefined();
    expect(mime.startsWith('MIME-Version: 1.0\n')).toBe(true);
    expect(mime).toContain(`--${boundary}\nContent-Type: text/x-shellscript`);
    expect(mime.trimEnd().endsWith(`--${boundary}--`)).toBe(true);
    expect(mime).toContain('net.core.netdev_max_backlog = 32768');
    expect(mime).toContain('DRIVERS=="ena", RUN+="/sbin/ethtool -G $name rx 8192"');
  });

  it('writes Bottlerocket settings and says the ring cannot go there', () => {
    const toml = file(out, 'eks/bottlerocket.toml');
    expect(toml).toMatch(
      /^\[settings\.kernel\.sysctl\]\n"net\.core\.netdev_max_backlog" = "32768"$/m,
    );
    expect(out.problems.join(' ')).toContain('Bottlerocket');
  });

  it('parses as a YAML-free TOML subset: every non-comment line is a table or a quoted pair', () => {
    for (const line of file(out, 'eks/bottlerocket.toml')
      .split('\n')
      .filter((l) => l && !l.startsWith('#')))
      expect(line).toMatch(/^\[[\w.]+\]$|^"[\w.]+" = "\d+"$/);
  });
});

describe('every YAML the generators write parses', () => {
  it.each(['aks', 'gke'] as const)('%s', (p) => {
    for (const plan of [SEED, ENA, GVE]) {
      for (const f of generate(p, plan).files.filter((x) => x.path.endsWith('.yaml'))) {
        expect(yamlDocs(f.content).length).toBeGreaterThan(0);
        expect(parse(f.content)).toBeTruthy();
      }
    }
  });
});
