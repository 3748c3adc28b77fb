import type { CheckedPlan } from './checked-plan.js';
import { where } from './checked-plan.js';
import { applyRingsSh } from './nic-loop.js';
import type { PlatformParts } from './parts.js';
import { rollbackFile } from './rollback.js';
import { sysctlConf, sysctlLines } from './sysctl-conf.js';
import { hashComments, MARK, SYSCTL_PATH, UDEV_PATH } from './text.js';
import type { GeneratedFile } from './types.js';
import { udevRulesText } from './udev-rule.js';

// EKS: launch-template user data in MIME multi-part form, the form EKS managed
// node groups merge with their own bootstrap part
// (https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html#launch-template-user-data);
// its text/x-shellscript part is run once by cloud-init on Amazon Linux 2 and
// 2023 nodes, and writes the same sysctl.d file and udev rule as the linux
// platform. Bottlerocket takes TOML settings instead:
// [settings.kernel.sysctl] with quoted keys and string values
// (https://bottlerocket.dev/en/os/latest/api/settings/kernel/).

const BOUNDARY = '==DROPKIT-BOUNDARY==';

function shellPart(plan: CheckedPlan): string {
  const lines = [
    '#!/bin/sh',
    hashComments([`${MARK}: writes the persistent fixes on a new node and applies them now.`]),
    'set -eu',
  ];
  if (plan.sysctls.length)
    lines.push(
      `cat > ${SYSCTL_PATH} <<'DROPKIT_EOF'`,
      sysctlConf(plan).content.trimEnd(),
      'DROPKIT_EOF',
      `sysctl -p ${SYSCTL_PATH}`,
    );
  if (plan.rings.length)
    lines.push(
      `cat > ${UDEV_PATH} <<'DROPKIT_EOF'`,
      udevRulesText(plan).trimEnd(),
      'DROPKIT_EOF',
      'udevadm control --reload || true',
      applyRingsSh(plan.rings),
    );
  return lines.join('\n');
}

export function userDataShell(mime: string): string {
  const start = mime.indexOf('#!/bin/sh');
  const end = mime.indexOf(`\n--${BOUNDARY}--`);
  return mime.slice(start, end);
}

function userData(plan: CheckedPlan): string {
  return [
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
    '',
    `--${BOUNDARY}`,
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    '',
    shellPart(plan),
    '',
    `--${BOUNDARY}--`,
    '',
  ].join('\n');
}

function bottlerocket(plan: CheckedPlan): string {
  return `${hashComments([`${MARK}: Bottlerocket user data (TOML), the sysctls only.`])}
[settings.kernel.sysctl]
${plan.sysctls.map((s) => `"${s.name}" = "${s.target}"`).join('\n')}
`;
}

export function eks(plan: CheckedPlan): PlatformParts {
  const files: GeneratedFile[] = [
    {
      path: 'eks/user-data.mime',
      content: userData(plan),
      what: `launch-template user data (MIME multi-part) for Amazon Linux nodes: writes ${[plan.sysctls.length ? SYSCTL_PATH : '', plan.rings.length ? UDEV_PATH : ''].filter(Boolean).join(' and ')} and applies them`,
      apply: [
        '# new launch template version with this user data (base64 when you use the API/CLI), then roll the node group onto it:',
        'aws ec2 create-launch-template-version --launch-template-id <lt> --source-version <v> --launch-template-data "{\\"UserData\\":\\"$(base64 -w0 eks/user-data.mime)\\"}"',
        'aws eks update-nodegroup-version --cluster-name <cluster> --nodegroup-name <ng> --launch-template id=<lt>,version=<new>',
      ],
      rollback: [
        '# roll the node group back to the previous launch template version (new nodes come without the files); on a node that keeps running:',
        'sh eks/rollback.sh',
      ],
    },
  ];
  const problems: string[] = [];
  if (plan.sysctls.length)
    files.push({
      path: 'eks/bottlerocket.toml',
      content: bottlerocket(plan),
      what: 'the same sysctls as Bottlerocket settings, for the user data of Bottlerocket nodes',
      apply: [
        '# merge into the TOML user data of the Bottlerocket launch template, or on a running node: apiclient set --json \'{"kernel":{"sysctl":{...}}}\'',
      ],
      rollback: ['# remove the keys from the user data and replace the nodes'],
    });
  for (const g of plan.rings)
    for (const f of g.fixes)
      problems.push(
        `${where(f)}: Bottlerocket has no ring setting, no writable udev rules directory and no ethtool on the host: the ring fix exists for Amazon Linux nodes only (user-data.mime).`,
      );
  files.push(
    rollbackFile(
      plan,
      {
        files: [
          ...(plan.sysctls.length ? [SYSCTL_PATH] : []),
          ...(plan.rings.length ? [UDEV_PATH] : []),
        ],
        after: plan.rings.length ? ['udevadm control --reload || true'] : [],
      },
      'eks/rollback.sh',
    ),
  );
  return {
    title: 'dropkit persistent fixes: Amazon EKS',
    intro: [
      'Amazon Linux node groups take eks/user-data.mime in their launch template: new nodes write the files at first boot. Bottlerocket node groups take eks/bottlerocket.toml.',
    ],
    files,
    notes: [
      'User data runs on nodes created from the new launch template version only; existing nodes keep their settings until the node group is rolled.',
      ...(plan.rings.length
        ? [
            'The udev rule applies to every NIC of the driver (every ENA interface of the node, including the ones the VPC CNI attaches).',
          ]
        : []),
      ...(plan.sysctls.length
        ? [
            `The sysctl lines: ${sysctlLines(plan.sysctls)
              .filter((l) => !l.startsWith('#'))
              .join('; ')}.`,
          ]
        : []),
    ],
    problems,
  };
}
