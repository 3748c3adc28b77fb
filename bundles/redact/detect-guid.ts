import { type Finding, PRIORITY } from './finding.js';
import { isKeptGuid, parseGuid, renderGuid } from './guid.js';

const GUID =
  /(?<![0-9A-Za-z])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z])/g;

// Every GUID is treated as sensitive: VM ids, subscription ids, boot ids, Hyper-V device
// instance ids (which embed the NIC's MAC) all identify something of the customer's.
export function guidFindings(text: string): Finding[] {
  const out: Finding[] = [];
  // A GUID has dashes; many logs have none, and then the pattern need not run.
  if (!text.includes('-')) return out;
  for (const m of text.matchAll(GUID)) {
    const p = parseGuid(m[0]);
    if (p === undefined || isKeptGuid(p.hex)) continue;
    out.push({
      start: m.index,
      end: m.index + m[0].length,
      category: 'guid',
      priority: PRIORITY.pattern,
      replace: (t, o) => t.guid(o),
      learn: [{ category: 'guid', value: renderGuid(p.hex, true, false) }],
    });
  }
  return out;
}
