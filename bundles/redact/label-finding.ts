import type { LabelCategory } from './categories.js';
import { type Finding, PRIORITY } from './finding.js';
import { isKeptName } from './keep-names.js';

// A name found by its position in a structure (a path segment, a JSON field). Names the keep
// rules clear (`default`, `root`, numbers, one or two characters) produce no finding.
export function labelFinding(
  start: number,
  value: string,
  category: LabelCategory,
  priority: Finding['priority'] = PRIORITY.structure,
): Finding | undefined {
  if (isKeptName(category, value)) return undefined;
  return {
    start,
    end: start + value.length,
    category,
    priority,
    replace: (t, o) => t.label(category, o),
    learn: [{ category, value }],
  };
}
