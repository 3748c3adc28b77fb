import { stringify } from 'yaml';
import type { CheckedPlan } from './checked-plan.js';
import { applyRingsSh, restoreRingsSh } from './nic-loop.js';
import { ETHTOOL, hashComments, MARK, UDEV_PATH } from './text.js';
import { udevRulesText } from './udev-rule.js';

// A DaemonSet that persists the ring on the nodes of a managed cluster, where
// nothing else can write a udev rule (AKS and GKE node pools): it writes the
// same rule the linux platform installs into the node's /etc/udev/rules.d
// (a hostPath mount), so udev re-applies the ring at every later add (the Azure
// VF re-add), sets the ring now, and sleeps. The cleanup variant removes the
// rule and sets the ring back. Fields: apps/v1 DaemonSet
// (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/daemon-set-v1/).
//  - privileged: ethtool -G needs CAP_NET_ADMIN and the rule needs a write to
//    the host; hostNetwork: the NICs are in the node's network namespace.
//  - hostPID is not needed: nothing is done to host processes.
//  - ethtool is the node's own, run through `chroot /host` (the node's root,
//    read-only): the udev rule calls the node's /sbin/ethtool at every
//    add anyway, so the node must have it, and the image then needs only sh,
//    chroot and readlink. The image is Azure Linux's base image from MCR,
//    which AKS nodes can always pull (MCR is in AKS's required egress).

export const DAEMONSET_IMAGE = 'mcr.microsoft.com/cbl-mariner/base/core:2.0';
export const NAMESPACE = 'kube-system';
const RULES_DIR = UDEV_PATH.slice(0, UDEV_PATH.lastIndexOf('/'));
const RULE_FILE = UDEV_PATH.slice(UDEV_PATH.lastIndexOf('/') + 1);
const NODE_ETHTOOL = `chroot /host ${ETHTOOL}`;

// The readiness file tells `kubectl rollout status` the work is done, not
// merely started.
const SLEEP = `: > /tmp/dropkit-done
echo "dropkit: done on $(cat /proc/sys/kernel/hostname)"
while :; do sleep 3600 & wait $! || true; done`;

function applyScript(plan: CheckedPlan): string {
  return `set -eu
trap 'exit 0' TERM INT
rules=/host-rules/${RULE_FILE}
[ -x /host${ETHTOOL} ] || echo "dropkit: the node has no ${ETHTOOL}: the udev rule cannot set the ring" >&2
cat > /host-rules/.${RULE_FILE}.tmp <<'DROPKIT_EOF'
${udevRulesText(plan)}DROPKIT_EOF
mv /host-rules/.${RULE_FILE}.tmp "$rules"
chroot /host udevadm control --reload || echo "dropkit: udevadm control --reload failed; udevd rereads changed rules on its own" >&2
${applyRingsSh(plan.rings, NODE_ETHTOOL)}
${SLEEP}
`;
}

function cleanupScript(plan: CheckedPlan): string {
  return `set -eu
trap 'exit 0' TERM INT
rules=/host-rules/${RULE_FILE}
if [ -e "$rules" ]; then
  first=
  IFS= read -r first < "$rules" || true
  case "$first" in
  *'${MARK}'*) rm -f "$rules" && echo "dropkit: removed ${UDEV_PATH}" ;;
  *) echo "dropkit: kept ${UDEV_PATH}: its first line no longer says ${MARK}" >&2 ;;
  esac
fi
chroot /host udevadm control --reload || true
${restoreRingsSh(plan.rings, NODE_ETHTOOL)}
${SLEEP}
`;
}

export function ringDaemonSet(
  plan: CheckedPlan,
  mode: 'apply' | 'cleanup',
  image = DAEMONSET_IMAGE,
): string {
  const name = mode === 'apply' ? 'dropkit-ring' : 'dropkit-ring-cleanup';
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'dropkit' };
  const manifest = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: NAMESPACE, labels: { ...labels } },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      updateStrategy: { type: 'RollingUpdate' },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          hostNetwork: true,
          automountServiceAccountToken: false,
          priorityClassName: 'system-node-critical',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          // Every node, whatever its taints: a pool with a dedicated taint is
          // the one most likely to carry the busy workload.
          tolerations: [{ operator: 'Exists' }],
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'ring',
              image,
              command: [
                '/bin/sh',
                '-c',
                mode === 'apply' ? applyScript(plan) : cleanupScript(plan),
              ],
              securityContext: { privileged: true },
              readinessProbe: { exec: { command: ['cat', '/tmp/dropkit-done'] }, periodSeconds: 5 },
              resources: {
                requests: { cpu: '1m', memory: '8Mi' },
                limits: { memory: '32Mi' },
              },
              volumeMounts: [
                { name: 'host-root', mountPath: '/host', readOnly: true },
                { name: 'udev-rules', mountPath: '/host-rules' },
              ],
            },
          ],
          volumes: [
            { name: 'host-root', hostPath: { path: '/', type: 'Directory' } },
            { name: 'udev-rules', hostPath: { path: RULES_DIR, type: 'DirectoryOrCreate' } },
          ],
        },
      },
    },
  };
  const what =
    mode === 'apply'
      ? 'installs the udev ring rule on every node and sets the ring now'
      : 'removes the udev ring rule from every node and sets the ring back';
  return `${hashComments([`${MARK}: ${what}.`])}\n${stringify(manifest, { lineWidth: 0 })}`;
}

// The kubectl side of the rollback: stop the rule installer, run the cleanup
// on every node, wait for it, remove it.
export function k8sRollbackScript(dir: string): string {
  return `#!/bin/sh
${hashComments([`${MARK}: removes the ring DaemonSet and its rule from every node. Needs kubectl on the cluster.`])}
set -eu
kubectl delete --ignore-not-found -f ${dir}/ring-daemonset.yaml
kubectl apply -f ${dir}/ring-cleanup-daemonset.yaml
kubectl -n ${NAMESPACE} rollout status daemonset/dropkit-ring-cleanup --timeout=10m
kubectl delete -f ${dir}/ring-cleanup-daemonset.yaml
echo "dropkit ring rollback done"
`;
}
