import type { CheckedPlan } from './checked-plan.js';
import { DAEMONSET_IMAGE, k8sRollbackScript, ringDaemonSet } from './k8s-ring.js';
import type { PlatformParts } from './parts.js';
import { ETHTOOL } from './text.js';
import type { GeneratedFile, SysctlFix } from './types.js';

// AKS custom node configuration: linuxOSConfig.sysctls, camelCase field names
// and the allowed ranges of
// https://learn.microsoft.com/azure/aks/custom-node-configuration-reference
// (the same bounds as the AKS API's SysctlConfig and Cluster API Azure's
// kubebuilder validation). Applied by `az aks nodepool add --linux-os-config`
// (https://learn.microsoft.com/azure/aks/custom-node-configuration), to the
// nodes of that new pool only. The ring has no AKS setting: a DaemonSet
// installs the udev rule on the nodes.

export const AKS_SYSCTLS: Record<SysctlFix['name'], { field: string; min: number; max: number }> = {
  'net.core.netdev_max_backlog': { field: 'netCoreNetdevMaxBacklog', min: 1000, max: 3240000 },
  'net.core.somaxconn': { field: 'netCoreSomaxconn', min: 4096, max: 3240000 },
  'net.ipv4.tcp_max_syn_backlog': { field: 'netIpv4TcpMaxSynBacklog', min: 128, max: 3240000 },
  'net.core.rmem_max': { field: 'netCoreRmemMax', min: 212992, max: 134217728 },
  'net.core.rmem_default': { field: 'netCoreRmemDefault', min: 212992, max: 134217728 },
};

function osConfig(plan: CheckedPlan, notes: string[]): GeneratedFile {
  const sysctls: Record<string, number> = {};
  for (const s of plan.sysctls) {
    const r = AKS_SYSCTLS[s.name];
    const v = Math.min(Math.max(s.target, r.min), r.max);
    if (v !== s.target)
      notes.push(
        `${s.name} ${s.target} is outside AKS's range ${r.min}–${r.max} for ${r.field}: written as ${v}.`,
      );
    sysctls[r.field] = v;
  }
  return {
    path: 'aks/linuxosconfig.json',
    content: `${JSON.stringify({ sysctls }, null, 2)}\n`,
    what: `linuxOSConfig for a new node pool: ${plan.sysctls.map((s) => s.name).join(', ')}`,
    apply: [
      'az aks nodepool add --resource-group <rg> --cluster-name <cluster> --name <pool> --linux-os-config aks/linuxosconfig.json',
      '# then move the workload to <pool> (cordon and drain the old pool’s nodes), and delete the old pool',
    ],
    rollback: [
      'az aks nodepool add --resource-group <rg> --cluster-name <cluster> --name <pool2>   # without --linux-os-config',
      '# move the workload to <pool2>, then: az aks nodepool delete --resource-group <rg> --cluster-name <cluster> --name <pool>',
    ],
  };
}

export function aks(plan: CheckedPlan): PlatformParts {
  const notes: string[] = [];
  const files: GeneratedFile[] = [];
  if (plan.sysctls.length) {
    files.push(osConfig(plan, notes));
    notes.push(
      'AKS applies linuxOSConfig only when a node pool is created (az aks create / az aks nodepool add); an existing pool keeps its configuration, so the fix means a new pool and moving the workload to it.',
    );
  }
  if (plan.rings.length) {
    files.push(
      {
        path: 'aks/ring-daemonset.yaml',
        content: ringDaemonSet(plan, 'apply'),
        what: 'a privileged DaemonSet that writes the udev ring rule on every Linux node and sets the ring now',
        apply: [
          'kubectl apply -f aks/ring-daemonset.yaml',
          'kubectl -n kube-system rollout status daemonset/dropkit-ring',
        ],
        rollback: ['sh aks/rollback.sh'],
      },
      {
        path: 'aks/ring-cleanup-daemonset.yaml',
        content: ringDaemonSet(plan, 'cleanup'),
        what: 'the rollback DaemonSet: removes the rule from every node and sets the ring back',
        apply: [],
        rollback: ['sh aks/rollback.sh'],
      },
      {
        path: 'aks/rollback.sh',
        content: k8sRollbackScript('aks'),
        what: 'deletes the ring DaemonSet, runs the cleanup DaemonSet on every node, then deletes it',
        apply: [],
        rollback: ['sh aks/rollback.sh'],
        executable: true,
      },
    );
    notes.push(
      `The DaemonSet runs the node's own ${ETHTOOL} through chroot (the rule needs it there anyway); the image (${DAEMONSET_IMAGE}) only brings sh, chroot and readlink. AKS's Ubuntu and Azure Linux node images ship ethtool; the pod logs an error if a node lacks it.`,
      'AKS node image upgrades and reimages replace the node’s disk; the DaemonSet writes the rule again on the new node.',
      'The DaemonSet needs privileged pods in kube-system (system-node-critical priority); a policy that forbids them (Azure Policy baseline) must exempt it.',
    );
  }
  return {
    title: 'dropkit persistent fixes: Azure Kubernetes Service',
    intro: [
      'Sysctls go through AKS custom node configuration (supported by AKS, applied at node pool creation). The ring, which AKS cannot configure, goes through a DaemonSet that installs the same udev rule as the linux platform on every node.',
    ],
    files,
    notes,
    problems: [],
  };
}
