import { intoSnapshot } from './contribution.js';
import type { ParseResult } from './parse-result.js';
import { WarningList } from './parse-result.js';
import type { CollectorSpec } from './spec.js';
import { quote, splitLines } from './text-lines.js';

// The NICs on the PCI bus as `lspci -Dnnk` names them: vendor and device ids, the model
// (`MT27710 Family [ConnectX-4 Lx Virtual Function] [15b3:1016]`), and the driver bound to
// each. On Azure this is the accelerated-networking VF (Mellanox or MANA) and whether a driver
// took it: a VF with no driver leaves the VM on the slower synthetic path while the portal still
// says "accelerated". Only network controllers (PCI class 02xx: Ethernet 0200, InfiniBand 0207,
// other 0280) are kept, filtered on the host by class rather than with `-d ::0200`, which
// pciutils before 3.5 refuse. `-D` prints the PCI domain on every slot, as ethtool -i's bus-info
// does (Azure's VF domains are not 0000). No lspci (minimal images, containers): not collected.

export interface PciNic {
  // `00c4:00:02.0`, as ethtool -i's bus-info.
  slot: string;
  className: string;
  classCode: string;
  // Vendor and model, as pciutils' ids file names them.
  device: string;
  // `15b3:1016`.
  ids?: string;
  rev?: string;
  subsystem?: string;
  // `Kernel driver in use:`; absent when no driver took the device.
  driver?: string;
  modules?: string[];
}

// `00c4:00:02.0 Ethernet controller [0200]: Mellanox … [15b3:1016] (rev 80)`
const DEVICE =
  /^([0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]|[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) (.+?) \[([0-9a-f]{4})\]: (.*?)(?: \[([0-9a-f]{4}:[0-9a-f]{4})\])?(?: \(rev ([0-9a-f]{1,2})\))?$/i;

export function parseLspci(text: string): ParseResult<PciNic[]> {
  const warnings = new WarningList();
  const nics: PciNic[] = [];
  let current: PciNic | undefined;
  let skipping = false;
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    if (/^\s/.test(line)) {
      if (skipping || !current) return;
      const m = /^\s+([A-Za-z ]+):\s?(.*)$/.exec(line);
      const value = m?.[2]?.trim() ?? '';
      if (m?.[1] === 'Subsystem' && value) current.subsystem = value;
      else if (m?.[1] === 'Kernel driver in use' && value) current.driver = value;
      else if (m?.[1] === 'Kernel modules' && value)
        current.modules = value.split(/,\s*/).filter(Boolean);
      return;
    }
    const m = DEVICE.exec(line.trimEnd());
    if (!m) {
      warnings.add(`line ${i + 1}: not an lspci -nnk device line: ${quote(line)}`);
      current = undefined;
      skipping = true;
      return;
    }
    const classCode = m[3]!.toLowerCase();
    // Not a network controller (an unfiltered capture): its properties are skipped too.
    skipping = !classCode.startsWith('02');
    if (skipping) {
      current = undefined;
      return;
    }
    current = {
      slot: m[1]!.toLowerCase(),
      className: m[2]!,
      classCode,
      device: m[4]!,
      ...(m[5] ? { ids: m[5].toLowerCase() } : {}),
      ...(m[6] ? { rev: m[6] } : {}),
    };
    nics.push(current);
  });
  return { value: nics, warnings: warnings.done() };
}

// The device of an interface, by ethtool -i's bus-info (`7870:00:02.0`; older lspci without
// a domain prints `00:02.0`, which is domain 0000).
export function pciNicOf(nics: readonly PciNic[] | undefined, busInfo: string | undefined) {
  if (!nics || !busInfo) return undefined;
  const want = busInfo.toLowerCase();
  return nics.find((n) => n.slot === want || `0000:${n.slot}` === want);
}

declare module './model.js' {
  interface Snapshot {
    // The network controllers on the PCI bus (lspci.ts); absent when not collected.
    pciNics?: PciNic[];
  }
}

export const lspciCollector: CollectorSpec = {
  id: 'lspci',
  description: 'network controllers on the PCI bus, with ids and driver (lspci -Dnnk)',
  source: {
    kind: 'shell',
    sh: [
      "command -v lspci >/dev/null 2>&1 || { echo 'lspci: not found' >&2; exit 127; }",
      'o=$(lspci -Dnnk) || exit $?',
      // A device line opens a block; its indented lines follow it.
      `[ -z "$o" ] || printf '%s\\n' "$o" | awk '/^[^ \\t]/ { k = ($0 ~ /\\[02[0-9a-fA-F][0-9a-fA-F]\\]: /) } k'`,
    ].join('\n'),
  },
  scope: 'global',
  tool: 'lspci',
  rawPath: 'net/lspci-nnk.txt',
  model: intoSnapshot(parseLspci, (nics, d) => {
    d.fields.pciNics = nics;
  }),
};
