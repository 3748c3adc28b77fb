import {
  type Evidence,
  type Finding,
  findingFix,
  findingWhere,
} from '../collectors/diagnosis/engine.js';
import { thousands } from '../kit/thousands.js';
import type { SummaryFinding } from './summary.js';

// A finding as the summary prints it: one line, then evidence and the fix.
const n = thousands;

function evidenceLine(e: Evidence): string {
  const value = typeof e.delta === 'bigint' ? `${e.sinceBoot ? '' : '+'}${n(e.delta)}` : e.delta;
  const parts = [`${e.name}: ${value}${e.sinceBoot ? ' since boot' : ''}`];
  if (e.ratePerSec !== undefined) parts.push(`${n(Math.round(e.ratePerSec))}/s average`);
  if (e.peakRatePerSec !== undefined) parts.push(`peak ${n(Math.round(e.peakRatePerSec))}/s`);
  if (e.window) parts.push(`between ${e.window.from} and ${e.window.to}`);
  if (e.reset) parts.push('counter reset during the run');
  return `${parts.join(', ')}${e.meaning ? ` (${e.meaning})` : ''}`;
}

export function toSummaryFinding(f: Finding): SummaryFinding {
  return {
    class: f.class,
    severity: f.severity,
    host: f.host,
    line: `${findingWhere(f)}: ${f.title}. Fix: \`${findingFix(f)}\``,
    explanation: f.explanation,
    confidence: f.confidence,
    unknown: f.unknown ?? [],
    evidence: f.evidence.map(evidenceLine),
    fix: [
      ...f.mitigation.commands,
      ...(f.mitigation.checks ?? []).map((c) => `# check: ${c}`),
      ...(f.mitigation.caveats ?? []).map((c) => `# note: ${c}`),
    ],
    persistent: f.mitigation.persistent.length
      ? [
          ...(f.mitigation.persistentPath ? [`# ${f.mitigation.persistentPath}`] : []),
          ...f.mitigation.persistent,
        ]
      : [],
  };
}
