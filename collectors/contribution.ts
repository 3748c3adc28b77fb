import type { IpLinkInterface } from './ip-link-types.js';
import type { InterfaceSnapshot, Snapshot } from './model.js';
import type { ParseResult } from './parse-result.js';
import type { ProcNetDevInterface } from './proc-net-dev.js';
import type { SysfsStats } from './sysfs-stats.js';

// A collector's share of the snapshot, declared in its own file: it parses
// its section and sets its own fields of a draft. snapshot/build.ts applies
// every collector's contribution in registry order, then assembles the
// interfaces; nothing there names a source. Pure.

// The snapshot's host-wide fields: facts, softnet, sysctls, snmp, and any
// field a collector adds to Snapshot from its own file (model.ts says how).
export type HostWideFields = Omit<
  Snapshot,
  | 'schema'
  | 'host'
  | 'takenAt'
  | 'durationMs'
  | 'hostClockNs'
  | 'timeBase'
  | 'interfaces'
  | 'sources'
  | 'warnings'
>;

// What the sources that list interfaces said, for snapshot/interfaces.ts:
// which interfaces exist comes from all of them, and each field from the
// most trusted one that has it.
export interface InterfaceListing {
  sysfs: SysfsStats;
  // ip link by name; the JSON form comes later in the registry and replaces the text form.
  links: Map<string, IpLinkInterface>;
  procDev: ProcNetDevInterface[];
}

export interface SnapshotDraft {
  readonly fields: HostWideFields;
  readonly listing: InterfaceListing;
  // The fields collectors set on one interface (ethtool -i, -S, -g, -l).
  iface(name: string): Partial<InterfaceSnapshot>;
  // The snapshot's warnings, for what a collector leaves out on purpose.
  readonly warnings: string[];
}

export function newDraft(warnings: string[]): SnapshotDraft {
  const ifaces = new Map<string, Partial<InterfaceSnapshot>>();
  return {
    // The model's own fields, empty until a source fills them, in the order a snapshot lists them.
    fields: { facts: {}, softnet: [], sysctls: {}, snmp: {} },
    listing: { sysfs: {}, links: new Map(), procDev: [] },
    iface: (name) => {
      const known = ifaces.get(name);
      if (known) return known;
      const i: Partial<InterfaceSnapshot> = {};
      ifaces.set(name, i);
      return i;
    },
    warnings,
  };
}

// Parses the section the contribution belongs to: undefined when there is
// nothing to parse (no section, or a failed one with no output); the
// parser's warnings go to the snapshot under the source's name.
export type ReadSection = <T>(parse: (text: string) => ParseResult<T>) => T | undefined;

export interface Contribution {
  // `iface` is set for a per-interface source, once per listed interface.
  apply: (read: ReadSection, draft: SnapshotDraft, iface: string | undefined) => void;
  // Its fields in a host of `collect analyze --json` (docs/analyze-json.md),
  // after the ones every snapshot has.
  view?: (s: Snapshot) => Record<string, unknown>;
}

// A host-wide source: its parsed value goes into the draft.
export function intoSnapshot<T>(
  parse: (text: string) => ParseResult<T>,
  merge: (value: T, draft: SnapshotDraft) => void,
): Contribution {
  return {
    apply: (read, draft) => {
      const value = read(parse);
      if (value !== undefined) merge(value, draft);
    },
  };
}

// A per-interface source: its parsed value goes onto that interface.
export function intoInterface<T>(
  parse: (text: string) => ParseResult<T>,
  merge: (value: T, iface: Partial<InterfaceSnapshot>) => void,
): Contribution {
  return {
    apply: (read, draft, iface) => {
      if (iface === undefined) return;
      const value = read(parse);
      if (value !== undefined) merge(value, draft.iface(iface));
    },
  };
}

// For sources whose text is the value (uname, /proc/uptime): no parser, no warnings.
export function asText(text: string): ParseResult<string> {
  return { value: text, warnings: [] };
}
