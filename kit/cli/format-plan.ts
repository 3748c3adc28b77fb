import type { Plan } from '../../repro/mitigations/plan.js';
import { table } from './table.js';

// The plan, before anything changes: per variant, each host, setting,
// current value and new value, and how it is reached when not directly.
export function formatPlan(plan: Plan, dryRun = false): string {
  const rows = plan.variants.flatMap((v) =>
    v.changes.length
      ? v.changes.map((c) => [
          v.name,
          `${c.change.host} (${c.change.role})`,
          c.change.setting,
          c.change.from,
          c.change.to === c.change.from ? `${c.change.to} (already)` : c.change.to,
          c.change.via ?? '',
        ])
      : [[v.name, '-', 'nothing changed', '', '', '']],
  );
  const out = [
    dryRun
      ? 'would change (dry run: nothing is changed):'
      : 'will change, and restore after each run:',
    table(['variant', 'host', 'setting', 'now', 'new', 'via'], rows, 99),
  ];
  if (plan.sharedKernel)
    out.push(
      'note: both hosts run on one kernel (same boot_id): net.core sysctls are machine-wide, so a change on one is seen on both',
    );
  return `${out
    .map((l) =>
      l
        .split('\n')
        .map((x) => x)
        .join('\n'),
    )
    .join('\n')}\n`;
}
