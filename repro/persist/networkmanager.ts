import type { CheckedPlan } from './checked-plan.js';
import { where } from './checked-plan.js';
import type { PlatformParts } from './parts.js';
import { rollbackFile } from './rollback.js';
import { sysctlConf } from './sysctl-conf.js';
import { ETHTOOL, hashComments, MARK } from './text.js';
import type { GeneratedFile, RingFix } from './types.js';

// NetworkManager keeps a ring size in the connection profile:
// ethtool.ring-rx (NetworkManager >= 1.26,
// https://networkmanager.dev/docs/api/latest/nm-settings-nmcli.html#nm-settings-nmcli.property.ethtool.ring-rx),
// applied each time the connection is activated. It cannot reach an Azure VF:
// Azure images mark every NIC under hv_pci unmanaged (68-azure-sriov-nm-unmanaged.rules,
// ENV{NM_UNMANAGED}="1"), and the VF is driven through the synthetic NIC anyway.
// Sysctls are not NetworkManager's business: the sysctl.d file does them.

const HELPERS = `ring() {
  con=$(nmcli -g GENERAL.CONNECTION device show "$1")
  if [ -z "$con" ]; then
    echo "dropkit: $1 has no active NetworkManager connection; not changed" >&2
    rc=1
    return 0
  fi
  nmcli connection modify "$con" ethtool.ring-rx "$2"
  ${ETHTOOL} -G "$1" rx "$2" || echo "dropkit: ethtool -G $1 rx $2 failed (saved in '$con' anyway)" >&2
  echo "$1: ring-rx $2 saved in connection '$con'"
}`;

function applyScript(fixes: readonly RingFix[]): string {
  return `#!/bin/sh
${hashComments([`${MARK}: saves the RX ring in each NIC's NetworkManager connection and sets it now.`, 'Undo with rollback.sh.'])}
set -eu
rc=0
${HELPERS}
${fixes.map((f) => `ring ${f.iface} ${f.wanted}`).join('\n')}
exit $rc
`;
}

// The profile property is cleared (an empty value resets it to "unset"), then
// the ring is set back by hand: NetworkManager does not restore it.
function rollbackLines(fixes: readonly RingFix[]): string[] {
  return [
    'unring() {',
    '  con=$(nmcli -g GENERAL.CONNECTION device show "$1" 2>/dev/null || true)',
    '  [ -n "$con" ] && nmcli connection modify "$con" ethtool.ring-rx "" && echo "$1: ring-rx cleared in connection \'$con\'"',
    `  [ "$2" = "-" ] || ${ETHTOOL} -G "$1" rx "$2" || echo "dropkit: ethtool -G $1 rx $2 failed" >&2`,
    '}',
    ...fixes.map((f) => `unring ${f.iface} ${f.current < f.wanted! ? f.current : '-'}`),
  ];
}

export function networkmanager(plan: CheckedPlan): PlatformParts {
  const problems: string[] = [];
  const fixes: RingFix[] = [];
  for (const g of plan.rings)
    for (const f of g.fixes) {
      if (g.azureVf)
        problems.push(
          `${where(f)}: an Azure accelerated-networking VF is unmanaged by NetworkManager on Azure images (68-azure-sriov-nm-unmanaged.rules), so a connection setting never reaches it; use the linux or networkd platform for its ring.`,
        );
      else fixes.push({ ...f, wanted: g.value });
    }
  const files: GeneratedFile[] = [];
  if (plan.sysctls.length) files.push(sysctlConf(plan));
  if (fixes.length)
    files.push({
      path: 'nm-ring.sh',
      content: applyScript(fixes),
      what: 'saves ethtool.ring-rx in the connection of each NIC (NetworkManager >= 1.26) and sets the ring now',
      apply: ['sh nm-ring.sh'],
      rollback: ['sh rollback.sh'],
      executable: true,
    });
  files.push(
    rollbackFile(plan, {
      files: plan.sysctls.length ? [sysctlConf(plan).installTo!] : [],
      after: fixes.length ? rollbackLines(fixes) : [],
      rings: false,
    }),
  );
  return {
    title: 'dropkit persistent fixes: NetworkManager',
    intro: [
      'nm-ring.sh finds each NIC’s active connection with nmcli and saves the ring size in it; NetworkManager applies it whenever the connection comes up.',
    ],
    files,
    notes: fixes.length
      ? [
          'The ring is kept per connection, so it follows the connection’s interface-name: a renamed NIC gets it only if its connection still matches it.',
        ]
      : [],
    problems,
  };
}
