import { hostOfSpec } from '../kit/ssh/host-spec.js';
import type { HostRun } from '../repro/run/run.js';

// A reproduction host's name in its bundle, before redaction: the hostname
// its first snapshot reported, else the host the operator typed.
export function labelOf(h: HostRun): string {
  return h.before?.snapshot.facts.hostname ?? hostOfSpec(h.spec);
}
