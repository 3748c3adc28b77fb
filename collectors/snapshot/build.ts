import { newDraft, type ReadSection } from '../contribution.js';
import type { RawFile, Snapshot } from '../model.js';
import type { CollectorSpec } from '../spec.js';
import { acceptSections, listedInterfaces, sectionName } from './accept.js';
import type { Section } from './frames.js';
import { assembleInterfaces, listedNames } from './interfaces.js';
import { SourceTable } from './source-table.js';

// Pure: raw sections in, a typed snapshot plus the byte-exact raw files out.
// Only the sections accept.ts keeps are used, and a per-interface one only for
// an interface the host listed: every name a host sends may be forged. What
// each source adds to the snapshot is declared in its own file (spec.model):
// this applies them in registry order, host-wide sources first.

export interface BuildInput {
  host: string;
  takenAt: string;
  durationMs: number;
  sections: Section[];
  specs: readonly CollectorSpec[];
}

export function buildSnapshot(input: BuildInput): { snapshot: Snapshot; raw: RawFile[] } {
  const warnings: string[] = [];
  const { hostWide, perIface, rank } = acceptSections(input.sections, input.specs, warnings);
  const table = new SourceTable(input.specs, warnings);
  for (const s of hostWide) table.add(s);
  const draft = newDraft(warnings);
  const read =
    (id: string, iface?: string): ReadSection =>
    (parse) =>
      table.parsed(id, parse, iface);
  const scoped = (scope: CollectorSpec['scope']) =>
    input.specs.flatMap((s) =>
      s.scope === scope && s.model ? [{ id: s.id, model: s.model }] : [],
    );

  for (const { id, model } of scoped('global')) model.apply(read(id), draft, undefined);
  const listed = listedInterfaces(listedNames(draft.listing), warnings);
  // A per-interface section counts only for an interface the host listed:
  // its name goes into a path (ethtool/<iface>/…).
  for (const s of perIface) {
    if (listed.has(s.iface!)) table.add(s);
    else
      warnings.push(`${sectionName(s.id, s.iface)} dropped: the host did not list this interface`);
  }
  const perInterface = scoped('per-interface');
  for (const name of listed)
    for (const { id, model } of perInterface) model.apply(read(id, name), draft, name);
  const interfaces = assembleInterfaces(listed, draft.listing, draft.iface);

  const { sources, raw } = table.ordered(rank);
  const start = firstStart(input.sections);
  const { facts, ...hostWideFields } = draft.fields;
  const snapshot: Snapshot = {
    schema: 'dropkit.snapshot/1',
    host: input.host,
    takenAt: input.takenAt,
    durationMs: Math.round(input.durationMs),
    ...(start !== undefined ? { hostClockNs: start.toString() } : {}),
    facts,
    interfaces,
    ...hostWideFields,
    sources,
    warnings,
  };
  return { snapshot, raw };
}

// The host's clock when the snapshot began: its earliest section start.
function firstStart(sections: Section[]): bigint | undefined {
  let first: bigint | undefined;
  for (const s of sections)
    if (s.startNs !== undefined && (first === undefined || s.startNs < first)) first = s.startNs;
  return first;
}
