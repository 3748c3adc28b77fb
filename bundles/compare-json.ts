import type { DropClass } from '../collectors/diagnosis/classes.js';
import type { CompareRecord } from '../repro/compare/record.js';
import type { SettingChange } from '../repro/mitigations/types.js';
import { classesSeen, dropsOf, type Spread, type VariantFigures } from './compare-aggregate.js';
import type { DropCounts, RunFigures } from './compare-metrics.js';
import { type HostState, isRestored, restoreCommand } from './compare-restore.js';
import type { ComparedVariants, VariantResult } from './compare-variants.js';

// compare.json (schema dropkit.compare/1), also what `repro compare --json`
// prints. Bigints stay bigints here: toJson writes them (collectors/json.ts).
// Hosts are named by their label, as in summary.json, never by the spec the
// operator typed (once redacted, a second pseudonym for the same host). Pure.

type Pair<T> = [min: T, max: T];

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

function settingJson(s: SettingChange, label: (spec: string) => string) {
  return {
    host: label(s.host),
    role: s.role,
    mitigation: s.mitigation,
    setting: s.setting,
    from: s.from,
    to: s.to,
    ...(s.via ? { via: s.via } : {}),
  };
}

// Every class any variant saw, 0 where this one saw none (null: not diagnosed).
function byClass<T>(classes: readonly DropClass[], of: (c: DropClass) => T | undefined) {
  return Object.fromEntries(classes.map((c) => [c, of(c)]));
}

function figuresJson(f: RunFigures, classes: readonly DropClass[]) {
  const drops: DropCounts | undefined = f.dropsByClass;
  return {
    throughputBps: orNull(f.throughputBps),
    throughputP10Bps: orNull(f.throughputP10Bps),
    lossPercent: orNull(f.lossPercent),
    retransmits: orNull(f.retransmits),
    dropsByClass: drops ? byClass(classes, (c) => drops[c] ?? 0n) : null,
    squeezeEvents: orNull(f.squeezeEvents),
  };
}

const pair = <T extends number | bigint>(s: Spread<T> | undefined): Pair<T> | null =>
  s ? [s.min, s.max] : null;

function rangeJson(f: VariantFigures, classes: readonly DropClass[]) {
  return {
    throughputBps: pair(f.throughputBps),
    throughputP10Bps: pair(f.throughputP10Bps),
    lossPercent: pair(f.lossPercent),
    retransmits: pair(f.retransmits),
    dropsByClass: f.dropsByClass ? byClass(classes, (c) => pair(dropsOf(f, c))) : null,
    squeezeEvents: pair(f.squeezeEvents),
  };
}

function variantJson(
  v: VariantResult,
  label: (spec: string) => string,
  classes: readonly DropClass[],
) {
  const f = v.figures;
  return {
    name: v.name,
    settings: v.settings.map((s) => settingJson(s, label)),
    throughputBps: orNull(f.throughputBps?.median),
    throughputP10Bps: orNull(f.throughputP10Bps?.median),
    lossPercent: orNull(f.lossPercent?.median),
    retransmits: orNull(f.retransmits?.median),
    dropsByClass: f.dropsByClass ? byClass(classes, (c) => dropsOf(f, c)?.median) : null,
    squeezeEvents: orNull(f.squeezeEvents?.median),
    runs: v.runs.map((r) => ({
      repeat: r.repeat,
      dir: r.dir,
      status: r.status,
      ...figuresJson(r.figures, classes),
    })),
    ...(v.runs.length > 1 ? { range: rangeJson(f, classes) } : {}),
    vsBaseline: orNull(v.vsBaseline),
    verdict: orNull(v.verdict),
  };
}

function restoreJson(h: HostState, command: string) {
  return {
    host: h.label,
    role: orNull(h.role),
    status: h.status,
    detail: orNull(h.detail),
    script: orNull(h.script),
    // What to run when the host was left changed.
    command: isRestored(h) ? null : command,
  };
}

export function compareJson(
  cr: CompareRecord,
  compared: ComparedVariants,
  hosts: HostState[],
  status: 'complete' | 'partial',
) {
  const label = (spec: string) => hosts.find((h) => h.spec === spec)?.label ?? spec;
  const classes = classesSeen(compared.variants.map((v) => v.figures));
  return {
    schema: 'dropkit.compare/1' as const,
    status,
    profile: cr.profile.name,
    order: cr.order,
    repeats: cr.repeats,
    baseline: orNull(compared.baseline),
    startedAt: cr.startedAt,
    endedAt: orNull(cr.endedAt),
    interrupted: cr.interrupted,
    error: orNull(cr.error?.oneLine),
    restore: hosts.map((h) => restoreJson(h, restoreCommand(cr))),
    variants: compared.variants.map((v) => variantJson(v, label, classes)),
    // The steps shared by every run: connect, preflight, the final restore.
    steps: cr.steps,
  };
}

export type CompareJson = ReturnType<typeof compareJson>;
