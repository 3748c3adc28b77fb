import { cloudField, readCloudDoc } from './cloud-doc.js';
import { intoSnapshot } from './contribution.js';
import { isJsonObject, quoteLargeIntegers } from './json-bigint.js';
import type { CloudIdentity } from './model.js';
import type { ParseResult } from './parse-result.js';
import type { CollectorSpec } from './spec.js';

// The cloud instance identity. A metadata service is only asked when DMI
// says which cloud this is: a bare-metal or lab host must not send packets to
// 169.254.169.254 at all, and a hung metadata endpoint must not slow the
// snapshot (1 s per request, and GCP's further requests only once the first
// answered). Identifiers stay raw here; the redactor pseudonymises them
// (bundles/discover.ts), unless the operator shares them (bundles/identity/).
//
// Azure: the instance document as IMDS gives it. AWS: IMDSv2 (a session
// token, then the instance identity document), wrapped as {"aws": …}. GCP:
// only the fields we use, each asked with ?alt=json so the server does the
// JSON quoting, wrapped as {"gcp": {…}}; never the recursive instance
// document, whose attributes hold startup scripts and, on GKE, kube-env.
const AZURE_IMDS = 'http://169.254.169.254/metadata/instance?api-version=2021-02-01';
const AWS = 'http://169.254.169.254/latest';
const GCP = 'http://169.254.169.254/computeMetadata/v1';
// GCP field name → metadata path.
const GCP_FIELDS: Array<[string, string]> = [
  ['id', 'instance/id'],
  ['name', 'instance/name'],
  ['zone', 'instance/zone'],
  ['machineType', 'instance/machine-type'],
  ['project', 'project/project-id'],
  ['clusterName', 'instance/attributes/cluster-name'],
  ['clusterLocation', 'instance/attributes/cluster-location'],
];

const gcpScript = [
  `    g() { r=$(curl -fsS -m 1 -H Metadata-Flavor:Google "${GCP}/$1?alt=json" 2>/dev/null) && [ -n "$r" ] && printf '%s' "$r" || printf null; }`,
  '    id=$(g instance/id)',
  `    if [ "$id" = null ]; then echo '{"dropkit":"metadata did not answer"}'`,
  `    else printf '{"gcp":{"id":%s${GCP_FIELDS.slice(1)
    .map(([k]) => `,"${k}":%s`)
    .join('')}}}\\n' "$id" ${GCP_FIELDS.slice(1)
    .map(([, p]) => `"$(g ${p})"`)
    .join(' ')}; fi ;;`,
].join('\n');

export const cloudIdentityCollector: CollectorSpec = {
  id: 'cloud_identity',
  description:
    'cloud instance identity (Azure IMDS, AWS and GCP metadata), only on VMs of that cloud',
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
      `  "Amazon EC2")`,
      `    if ! command -v curl >/dev/null 2>&1; then echo '{"dropkit":"no curl"}'`,
      `    elif t=$(curl -fsS -m 1 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' '${AWS}/api/token' 2>/dev/null); then`,
      // The header's name in a variable: spelled out before "$t", it reads
      // as a token in clear to the redactor, which would mask the script.
      `      h=X-aws-ec2-metadata-token; printf '{"aws":'; curl -fsS -m 1 -H "$h: $t" '${AWS}/dynamic/instance-identity/document'; printf '}\\n'`,
      `    else echo '{"dropkit":"metadata did not answer"}'; fi ;;`,
      `  Google)`,
      `    if ! command -v curl >/dev/null 2>&1; then echo '{"dropkit":"no curl"}'; else`,
      gcpScript.replace(/ ;;$/, '; fi ;;'),
      `  *) printf '{"dropkit":"not queried","sys_vendor":"%s"}\\n' "$v" ;;`,
      'esac',
    ].join('\n'),
  },
  scope: 'global',
  // GCP's seven requests at 1 s each when the server answers but slowly.
  timeoutSec: 8,
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
  const d = readCloudDoc(doc);
  if (!d) return { value: undefined, warnings: [] };
  // The same three facts under each cloud's names; a GCP region is its zone
  // without the last part (us-central1-a → us-central1).
  const [size, location, zone] = {
    azure: ['vmSize', 'location', 'zone'],
    aws: ['instanceType', 'region', 'availabilityZone'],
    gcp: ['machineType', '', 'zone'],
  }[d.provider].map((k) => (k ? cloudField(d, k) : undefined));
  const region = location ?? (d.provider === 'gcp' ? zone?.replace(/-[a-z]$/, '') : undefined);
  return {
    value: {
      provider: d.provider,
      ...(size ? { vmSize: size } : {}),
      ...(region ? { location: region } : {}),
      ...(zone ? { zone } : {}),
    },
    warnings: [],
  };
}
