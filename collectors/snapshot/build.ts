import { newDraft, type ReadSection } from '../contribution.js';
import type { InterfaceSnapshot, RawFile, SkippedSource, Snapshot } from '../model.js';
import { getOwn } from '../own-record.js';
import type { CollectorSpec } from '../spec.js';
import { acceptSections, listedInterfaces } from './accept.js';
import type { Section } from './frames.js';
import { assembleInterfaces, listedNames } from './interfaces.js';
import { SourceTable } from './source-table.js';
import { takenOnceNote } from './taken-once.js';

// Pure: raw sections in, a typed snapshot plus the byte-exact raw files out.
// Only the sections accept.ts keeps are used: every name a host sends may be
// forged, and one the kernel would refuse never reaches a path. What each
// source adds to the snapshot is declared in its own file (spec.model): this
// applies them in registry order, host-wide sources first.

export interface BuildInput {
  host: string;
  takenAt: string;
  durationMs: number;
  sections: Section[];
  specs: readonly CollectorSpec[];
  // Sections an earlier snapshot of the run took, of sources this one did not
  // run (taken-once.ts): parsed as its own, listed as taken once.
  carried?: readonly Section[];
}

export function buildSnapshot(input: BuildInput): { snapshot: Snapshot; raw: RawFile[] } {
  const warnings: string[] = [];
  const { hostWide, perIface, rank } = acceptSections(input.sections, input.specs, warnings);
  const table = new SourceTable(input.specs, warnings);
  for (const s of hostWide) table.add(s);
  const own = new Set([...hostWide, ...perIface].map((s) => `${s.id}\u0000${s.iface ?? ''}`));
  const takenOnce: Array<{ id: string; iface?: string; rawPath: string }> = [];
  const copies: RawFile[] = [];
  const carry = (s: Section) => {
    if (own.has(`${s.id}\u0000${s.iface ?? ''}`)) return;
    const copy = table.carry(s);
    if (!copy) return;
    copies.push(copy);
    takenOnce.push({
      id: s.id,
      ...(s.iface !== undefined ? { iface: s.iface } : {}),
      rawPath: copy.path,
    });
  };
  const carried = input.carried ?? [];
  for (const s of carried) if (s.iface === undefined) carry(s);
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
  // Every source that names an interface lists it: a sos report or a copied
  // raw/ may hold ethtool -S of an interface and no ip link, sysfs or
  // /proc/net/dev at all, and its counters, driver and findings count. A
  // forged name gains nothing here that a forged listing would not: names
  // the kernel would refuse were dropped above (accept.ts), as they go into
  // paths (ethtool/<iface>/…).
  const listed = listedInterfaces(
    [...listedNames(draft.listing), ...perIface.map((s) => s.iface!)],
    warnings,
  );
  for (const s of perIface) table.add(s);
  // Only for the interfaces this snapshot lists: one gone since is not
  // brought back by an earlier snapshot's output.
  for (const s of carried) if (s.iface !== undefined && listed.has(s.iface)) carry(s);
  const perInterface = scoped('per-interface');
  for (const name of listed)
    for (const { id, model } of perInterface) model.apply(read(id, name), draft, name);
  const interfaces = assembleInterfaces(listed, draft.listing, draft.iface);

  const { sources, raw } = table.ordered(rank);
  // Software by the snapshot's own sysfs loop: a sos report or a copied raw/
  // has no such line, and its missing ethtool files were never skipped here.
  const software = (name: string) => getOwn(draft.listing.sysfs, name)?.attrs['virtual'] === '1';
  // A carried source ran on its interface, in the earlier snapshot.
  const took = new Set(takenOnce.map((t) => `${t.id}\u0000${t.iface ?? ''}`));
  const ran = [...perIface, ...carried.filter((s) => took.has(`${s.id}\u0000${s.iface ?? ''}`))];
  const skipped = skippedSources(input.specs, interfaces, ran, software);
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
    ...(skipped.length ? { skipped } : {}),
    ...(takenOnce.length ? { takenOnce: { from: 'before' as const, sources: takenOnce } } : {}),
    warnings,
  };
  return {
    snapshot,
    raw: takenOnce.length ? [...raw, ...copies, takenOnceNote(takenOnce)] : raw,
  };
}

export const SKIPPED_SOFTWARE =
  'software interface with no drops (rx_dropped and tx_dropped 0); its counters are in ip -s -s -d -j link';

// The software interfaces a softwareOnlyWithDrops source did not run on:
// the script's guard skipped them, so the bundle says so.
function skippedSources(
  specs: readonly CollectorSpec[],
  interfaces: readonly InterfaceSnapshot[],
  perIface: readonly Section[],
  software: (name: string) => boolean,
): SkippedSource[] {
  const ran = new Set(perIface.map((s) => `${s.id}\u0000${s.iface}`));
  const out: SkippedSource[] = [];
  for (const spec of specs) {
    if (!spec.softwareOnlyWithDrops) continue;
    const ifaces = interfaces
      .filter(
        (i) => i.kind !== 'loopback' && software(i.name) && !ran.has(`${spec.id}\u0000${i.name}`),
      )
      .map((i) => i.name);
    if (ifaces.length) out.push({ id: spec.id, reason: SKIPPED_SOFTWARE, ifaces });
  }
  return out;
}

// The host's clock when the snapshot began: its earliest section start.
function firstStart(sections: Section[]): bigint | undefined {
  let first: bigint | undefined;
  for (const s of sections)
    if (s.startNs !== undefined && (first === undefined || s.startNs < first)) first = s.startNs;
  return first;
}
