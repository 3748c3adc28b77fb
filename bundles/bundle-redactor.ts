import type { BundleInput } from './bundle-input.js';
import { caseSecret } from './case-secret.js';
import { discoverFromHost } from './discover.js';
import { createRedactor, type Discovered, mergeDiscovered, type Redactor } from './redact/index.js';

// The redactor of one bundle: keyed by the case's secret, seeded with what
// each host said about itself (names, addresses, the login user), and shown
// every file before any is redacted, so that a value first seen in a late
// file (a parsed snapshot, a log) is still replaced in an early one.
export async function bundleRedactor(input: BundleInput): Promise<Redactor> {
  const discovered: Discovered[] = input.hosts.map((h) =>
    discoverFromHost(
      h.rawSets.flatMap((s) => s.raw),
      { ...(h.spec ? { spec: h.spec } : {}), ...(h.user ? { user: h.user } : {}) },
    ),
  );
  discovered.push({ hostnames: input.hosts.map((h) => h.label), keywords: input.keywords });
  const redactor = createRedactor({
    secret: await caseSecret(input.caseId),
    discovered: mergeDiscovered(...discovered),
    ...(input.keep?.length ? { keep: input.keep } : {}),
  });
  // The redactor keeps these findings for the redaction pass.
  for (const h of input.hosts) {
    for (const s of h.rawSets)
      for (const r of s.raw) redactor.observe(r.bytes.toString('latin1'), r.path);
    for (const f of h.files) redactor.observe(f.bytes.toString('latin1'), f.path);
  }
  for (const f of input.files) redactor.observe(f.bytes.toString('latin1'), f.path);
  return redactor;
}
