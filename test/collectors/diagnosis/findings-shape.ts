import type { Finding } from '../../../collectors/diagnosis/engine.js';

// The parts of a finding a defect test pins down exactly.
export function shape(f: Finding) {
  return {
    class: f.class,
    severity: f.severity,
    confidence: f.confidence,
    iface: f.iface,
    packets: f.packets,
    title: f.title,
    evidence: f.evidence.map((e) => [e.name, e.delta]),
    commands: f.mitigation.commands,
  };
}
