import { udevNicMatch } from '../../collectors/diagnosis/advice/text.js';
import type { CheckedPlan, RingGroup } from './checked-plan.js';
import { ETHTOOL, hashComments, MARK, relative, UDEV_PATH } from './text.js';
import type { GeneratedFile } from './types.js';

// The udev rule that sets the RX ring on every `add` of a matching NIC: at
// boot, and again when Azure re-adds a VF after host servicing, whatever name
// it gets. The match (an Azure VF by its driver under hv_pci, never by name)
// is the diagnosis's own, where its reasons are: udevNicMatch in
// collectors/diagnosis/advice/text.ts. $name is the interface's name after any
// rename by an earlier rule (Azure VFs become enP<domain>s<slot>); %k would
// be the kernel's pre-rename name. RUN+= runs with no PATH to speak of:
// ethtool by absolute path.
export function udevRuleLine(g: RingGroup): string {
  const match = udevNicMatch({ name: '', driver: g.driver, azureVf: g.azureVf });
  return `ACTION=="add", SUBSYSTEM=="net", ${match}, RUN+="${ETHTOOL} -G $name rx ${g.value}"`;
}

function why(g: RingGroup): string[] {
  const on = g.fixes.map((f) => `${f.iface} (was ${f.current} of ${f.max})`).join(', ');
  return g.azureVf
    ? [
        `${g.driver} accelerated-networking VF: ${on}.`,
        'Azure hot-removes the VF during host servicing and re-adds it, possibly as another enP name:',
        'the rule matches the driver under the Hyper-V PCI bridge, never the name.',
      ]
    : [`Every ${g.driver} NIC: ${on}.`];
}

export function udevRulesText(plan: CheckedPlan): string {
  const header = hashComments([
    `${MARK}: sets the RX ring on every add of a matching NIC (boot, hot re-add).`,
    `Remove it with rollback.sh, or by hand: rm ${UDEV_PATH}; udevadm control --reload.`,
  ]);
  const rules = plan.rings.map((g) => `${hashComments(why(g))}\n${udevRuleLine(g)}`);
  return `${header}\n${rules.join('\n')}\n`;
}

export function udevRulesFile(plan: CheckedPlan): GeneratedFile {
  const now = plan.rings.flatMap((g) =>
    g.fixes.map((f) => `${ETHTOOL} -G ${f.iface} rx ${g.value}   # on ${f.host}, now`),
  );
  return {
    path: relative(UDEV_PATH),
    installTo: UDEV_PATH,
    content: udevRulesText(plan),
    what: 'sets the RX ring whenever a matching NIC is added (boot, Azure VF re-add)',
    apply: [
      `install -m 0644 ${relative(UDEV_PATH)} ${UDEV_PATH}`,
      'udevadm control --reload',
      ...now,
    ],
    rollback: ['sh rollback.sh'],
  };
}
