import type { RunRecord } from '../repro/run/record.js';
import type { BundleHost } from './bundle-input.js';
import { buildIdentity, type HostIdentity, type IdentityHint } from './identity-build.js';
import { identityLines, sharedNote } from './identity-json.js';
import { labelOf } from './repro-label.js';
import type { SharedNote } from './summary.js';

// --share-identity between a bundle's parts and its writing: the identity is
// read from the parts' raw outputs, shown to the operator, and only once they
// agree are the parts built again with the summary saying what was shared.
// Declined, or nothing to share: the bundle is written as without the flag.

export interface ShareRequest {
  hints: IdentityHint[];
  // Shows the lines; true when the operator agrees (--yes agrees up front).
  confirm: (lines: string[]) => Promise<boolean>;
}

export async function withSharedIdentity<P extends { hosts: BundleHost[] }>(
  build: (shared?: SharedNote) => P,
  request: ShareRequest | undefined,
): Promise<{ parts: P; identity?: HostIdentity[] }> {
  const parts = build();
  if (!request) return { parts };
  const identity = buildIdentity(parts.hosts, request.hints);
  if (!identity.length || !(await request.confirm(identityLines(identity)))) return { parts };
  return { parts: build(sharedNote(identity)), identity };
}

// A run's hosts by label, with their role and the interface the traffic
// crossed (the primary NIC for the case).
export function runHints(rec: RunRecord): IdentityHint[] {
  return rec.hosts.map((h) => ({
    label: labelOf(h),
    role: h.role,
    ...(h.dataIface ? { iface: h.dataIface } : {}),
  }));
}
