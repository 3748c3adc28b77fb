import { stringify } from 'yaml';
import type { CheckedPlan } from './checked-plan.js';
import { k8sRollbackScript, ringDaemonSet } from './k8s-ring.js';
import type { PlatformParts } from './parts.js';
import { hashComments, MARK } from './text.js';
import type { GeneratedFile, SysctlFix } from './types.js';

// GKE node system configuration: linuxConfig.sysctl, string values, only the
// sysctls GKE allows, in their ranges
// (https://cloud.google.com/kubernetes-engine/docs/how-to/node-system-config;
// the list and bounds as in `gcloud container node-pools create
// --system-config-from-file`, https://cloud.google.com/sdk/gcloud/reference/container/node-pools/create).
// net.ipv4.tcp_max_syn_backlog is not on that list. The ring (gve) has no GKE
// setting: the same DaemonSet as AKS.

const INT_MAX = 2147483647;
export const GKE_SYSCTLS: Partial<Record<SysctlFix['name'], { min: number; max: number }>> = {
  'net.core.netdev_max_backlog': { min: 1, max: INT_MAX - 1 },
  'net.core.rmem_default': { min: 2304, max: INT_MAX },
  'net.core.rmem_max': { min: 2304, max: INT_MAX },
  'net.core.somaxconn': { min: 128, max: INT_MAX },
};

function systemConfig(
  sysctls: readonly SysctlFix[],
  notes: string[],
  path: string,
  value: (s: SysctlFix) => number,
): GeneratedFile {
  const sysctl: Record<string, string> = {};
  for (const s of sysctls) {
    const r = GKE_SYSCTLS[s.name]!;
    const v = Math.min(Math.max(value(s), r.min), r.max);
    if (v !== value(s))
      notes.push(
        `${s.name} ${value(s)} is outside GKE's range ${r.min}–${r.max}: written as ${v}.`,
      );
    sysctl[s.name] = String(v);
  }
  const content = `${hashComments([`${MARK}: GKE node system configuration.`])}\n${stringify({ linuxConfig: { sysctl } }, { lineWidth: 0 })}`;
  return { path, content, what: '' };
}

export function gke(plan: CheckedPlan): PlatformParts {
  const notes: string[] = [];
  const problems: string[] = [];
  const files: GeneratedFile[] = [];
  const allowed = plan.sysctls.filter((s) => {
    if (GKE_SYSCTLS[s.name]) return true;
    problems.push(
      `${s.name}: GKE's node system configuration does not allow it (not on its sysctl list); a privileged DaemonSet running sysctl -w is the only way, and GKE does not support that.`,
    );
    return false;
  });
  if (allowed.length) {
    const cfg = systemConfig(allowed, notes, 'gke/node-system-config.yaml', (s) => s.target);
    files.push({
      ...cfg,
      what: `node system configuration: ${allowed.map((s) => s.name).join(', ')}`,
      apply: [
        'gcloud container node-pools create <pool> --cluster=<cluster> --location=<location> --system-config-from-file=gke/node-system-config.yaml',
        '# or, on an existing pool (GKE recreates its nodes): gcloud container node-pools update <pool> --cluster=<cluster> --location=<location> --system-config-from-file=gke/node-system-config.yaml',
      ],
      rollback: [
        'gcloud container node-pools update <pool> --cluster=<cluster> --location=<location> --system-config-from-file=gke/node-system-config-rollback.yaml',
      ],
    });
    const known = allowed.filter((s) => s.current !== undefined);
    if (known.length) {
      const back = systemConfig(
        known,
        [],
        'gke/node-system-config-rollback.yaml',
        (s) => s.current!,
      );
      files.push({
        ...back,
        what: 'the same sysctls set back to the values recorded before dropkit',
      });
    }
    if (known.length < allowed.length)
      notes.push(
        'Sysctls whose previous value is unknown are not in the rollback file: remove them from your node system configuration to return to GKE’s defaults (on nodes created afterwards).',
      );
  }
  if (plan.rings.length) {
    files.push(
      {
        path: 'gke/ring-daemonset.yaml',
        content: ringDaemonSet(plan, 'apply'),
        what: 'a privileged DaemonSet that writes the udev ring rule on every Linux node and sets the ring now',
        apply: [
          'kubectl apply -f gke/ring-daemonset.yaml',
          'kubectl -n kube-system rollout status daemonset/dropkit-ring',
        ],
        rollback: ['sh gke/rollback.sh'],
      },
      {
        path: 'gke/ring-cleanup-daemonset.yaml',
        content: ringDaemonSet(plan, 'cleanup'),
        what: 'the rollback DaemonSet: removes the rule from every node and sets the ring back',
      },
      {
        path: 'gke/rollback.sh',
        content: k8sRollbackScript('gke'),
        what: 'deletes the ring DaemonSet, runs the cleanup DaemonSet on every node, then deletes it',
        apply: [],
        rollback: ['sh gke/rollback.sh'],
        executable: true,
      },
    );
    notes.push(
      'GKE Standard only: Autopilot refuses privileged pods and hostPath mounts.',
      'gve changes its ring size with ethtool -G only in recent kernels (the driver’s ring-size support); on older node images ethtool -G fails and the pod logs it. Container-Optimized OS rebuilds /etc at boot, so there the DaemonSet (which rewrites the rule at every start) is what keeps the fix, not the rule file.',
      'The DaemonSet runs the node’s own /sbin/ethtool through chroot; check that your node image has it (Ubuntu node images do).',
    );
  }
  return {
    title: 'dropkit persistent fixes: Google Kubernetes Engine',
    intro: [
      'Sysctls go through GKE’s node system configuration. The ring, which GKE cannot configure, goes through a DaemonSet that installs the same udev rule as the linux platform on every node.',
    ],
    files,
    notes,
    problems,
  };
}
