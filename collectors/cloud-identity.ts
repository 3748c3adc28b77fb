import { intoSnapshot } from './contribution.js';
import { isJsonObject, quoteLargeIntegers } from './json-bigint.js';
import type { CloudIdentity } from './model.js';
import type { ParseResult } from './parse-result.js';
import type { CollectorSpec } from './spec.js';

// The cloud instance identity. IMDS is only asked when DMI says this is an
// Azure VM: a bare-metal or lab host must not send packets to
// 169.254.169.254 at all, and a hung metadata endpoint must not slow the
// snapshot (1 s cap). Identifiers stay raw here; the redactor handles them.
const AZURE_IMDS = 'http://169.254.169.254/metadata/instance?api-version=2021-02-01';

export const cloudIdentityCollector: CollectorSpec = {
  id: 'cloud_identity',
  description: 'cloud instance identity (Azure IMDS: vmSize, location, zone), only on cloud VMs',
  source: {
    kind: 'shell',
    sh: [
      // The shell's own read, not a `cat` fork: the vendor is one line.
      "v=''; [ -r /sys/class/dmi/id/sys_vendor ] && IFS= read -r v < /sys/class/dmi/id/sys_vendor",
      'case "$v" in',
      `  "Microsoft Corporation")`,
      `    if command -v curl >/dev/null 2>&1; then curl -fsS -m 1 -H Metadata:true '${AZURE_IMDS}'`,
      `    elif command -v wget >/dev/null 2>&1; then wget -q -T 1 -O - --header=Metadata:true '${AZURE_IMDS}'`,
      `    else echo '{"dropkit":"no curl or wget"}'; fi ;;`,
      `  *) printf '{"dropkit":"not queried","sys_vendor":"%s"}\\n' "$v" ;;`,
      'esac',
    ].join('\n'),
  },
  scope: 'global',
  timeoutSec: 3,
  rawPath: 'host/cloud-identity.json',
  model: intoSnapshot(parseCloudIdentity, (cloud, d) => {
    d.fields.facts.cloud = cloud;
  }),
};

export function parseCloudIdentity(text: string): ParseResult<CloudIdentity | undefined> {
  if (!text.trim()) return { value: undefined, warnings: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(quoteLargeIntegers(text));
  } catch {
    return { value: undefined, warnings: ['cloud identity: not JSON'] };
  }
  if (!isJsonObject(doc))
    return { value: undefined, warnings: ['cloud identity: not a JSON object'] };
  const compute = doc['compute'];
  if (!isJsonObject(compute)) return { value: undefined, warnings: [] };
  const str = (k: string) => {
    const v = compute[k];
    return typeof v === 'string' && v ? v : undefined;
  };
  const id: CloudIdentity = { provider: 'azure' };
  const vmSize = str('vmSize');
  const location = str('location');
  const zone = str('zone');
  if (vmSize) id.vmSize = vmSize;
  if (location) id.location = location;
  if (zone) id.zone = zone;
  return { value: id, warnings: [] };
}
