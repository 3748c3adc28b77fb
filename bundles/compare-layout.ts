import type { VariantRun } from '../repro/compare/record.js';
import type { BundleHost } from './bundle-input.js';
import type { BundleEntry } from './entries.js';
import type { ReproParts } from './repro-bundle.js';

// Where each run of a comparison goes in its bundle: its own repro bundle's
// top-level files under runs/<dir>/, its host files under
// hosts/<host>/<dir>/, one folder per real host for all runs. Pure.

// A variant name as one path segment. Names hold `=`, `+`, `@` and `,`
// (`ring=4096+backlog`), which every tar and shell takes and which keep the
// folder readable; anything else (a `/`, a space, a control character)
// becomes `-`, so no name can add a segment or climb out of the bundle.
export function pathSegment(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._=+@,-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48);
  return safe || 'variant';
}

// `01-baseline`, `02-backlog=32768`; `03-baseline-r2` with repeats. The
// number is the run's place in the order they ran, so folders sort as the
// runs happened and two runs never share one.
export function runDirs(runs: readonly VariantRun[], repeats: number): string[] {
  const width = Math.max(2, String(runs.length).length);
  return runs.map((r, i) => {
    const n = String(i + 1).padStart(width, '0');
    return `${n}-${pathSegment(r.variant)}${repeats > 1 ? `-r${r.repeat}` : ''}`;
  });
}

export interface LaidRun {
  dir: string;
  parts: ReproParts;
}

export function runTopFiles(runs: readonly LaidRun[]): BundleEntry[] {
  return runs.flatMap((r) =>
    r.parts.files.map((f) => ({ path: `runs/${r.dir}/${f.path}`, bytes: f.bytes })),
  );
}

// A host is failed only when no run collected anything from it: with files
// from some runs it is partial, and its error names the runs that failed.
function mergedStatus(hs: readonly BundleHost[]): BundleHost['status'] {
  if (hs.every((h) => h.status === 'failed')) return 'failed';
  return hs.some((h) => h.status !== 'complete') ? 'partial' : 'complete';
}

function mergeOne(runs: readonly LaidRun[], index: number): BundleHost | undefined {
  const own = runs.flatMap((r) => {
    const h = r.parts.hosts[index];
    return h ? [{ dir: r.dir, h }] : [];
  });
  // The name its snapshots reported, when a run has one (labelOf).
  const named = (own.find((o) => o.h.rawSets.length) ?? own[0])?.h;
  if (!named) return undefined;
  const user = own.find((o) => o.h.user)?.h.user;
  const problems = own.flatMap((o) => (o.h.error ? [`${o.dir}: ${o.h.error}`] : []));
  return {
    label: named.label,
    ...(named.spec ? { spec: named.spec } : {}),
    ...(user ? { user } : {}),
    status: mergedStatus(own.map((o) => o.h)),
    ...(problems.length ? { error: problems.join('; ') } : {}),
    rawSets: own.flatMap((o) =>
      o.h.rawSets.map((s) => ({ dir: s.dir ? `${o.dir}/${s.dir}` : o.dir, raw: s.raw })),
    ),
    files: own.flatMap((o) =>
      o.h.files.map((f) => ({ path: `${o.dir}/${f.path}`, bytes: f.bytes })),
    ),
  };
}

// Every run has the same pair in the same order (sender, receiver): hosts
// are merged by that place, not by name, so two hosts that report one name
// (cloned VMs) still get a folder each.
export function mergedHosts(runs: readonly LaidRun[]): BundleHost[] {
  const n = Math.max(0, ...runs.map((r) => r.parts.hosts.length));
  return Array.from({ length: n }, (_x, i) => mergeOne(runs, i)).filter(
    (h): h is BundleHost => h !== undefined,
  );
}
