import type { Finding } from './finding.js';
import { labelFinding } from './label-finding.js';

// Home directories name their owner: /home/alice, /Users/alice, /var/home/alice.
const HOME = /\/(?:home|Users)\/([A-Za-z0-9._][A-Za-z0-9._-]*)/g;

export function homeFindings(text: string): Finding[] {
  const out: Finding[] = [];
  for (const m of text.matchAll(HOME)) {
    const f = labelFinding(m.index + m[0].length - m[1]!.length, m[1]!, 'user');
    if (f) out.push(f);
  }
  return out;
}
