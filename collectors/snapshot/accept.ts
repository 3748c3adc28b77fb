import { isValidIfaceName, shownName } from '../iface-name.js';
import type { CollectorSpec } from '../spec.js';
import type { Section } from './frames.js';

// Which sections a snapshot keeps. The host runs the script and can read its
// boundary, so any section may be forged: an unknown source, a second copy of
// one, an interface name the kernel would refuse, or a flood of output. Each
// of these is dropped (or cut) with a warning that names it, escaped. Pure.

// One source's output beyond this is cut: the largest real ones (ip -s -s
// link, /proc/interrupts on a big host with many pods) stay well under it.
export const MAX_SECTION_BYTES = 16 * 1024 * 1024;

export const sectionName = (id: string, iface?: string) =>
  `section ${shownName(id)}${iface !== undefined ? ` (interface ${shownName(iface)})` : ''}`;

export interface AcceptedSections {
  // Host-wide sections, then the per-interface ones, both in registry order.
  hostWide: Section[];
  perIface: Section[];
  // The registry order of every kept section, for the sources list.
  rank: Map<Section, number>;
}

export function acceptSections(
  input: readonly Section[],
  specs: readonly CollectorSpec[],
  warnings: string[],
): AcceptedSections {
  const specById = new Map(specs.map((s) => [s.id, s]));
  // Registry order, whatever order the host's lanes finished in (stable:
  // one source's interfaces keep the host's order).
  const order = new Map(specs.map((s, i) => [s.id, i]));
  const sorted = [...input].sort(
    (a, b) => (order.get(a.id) ?? order.size) - (order.get(b.id) ?? order.size),
  );
  const seen = new Set<string>();
  const hostWide: Section[] = [];
  const perIface: Section[] = [];
  const rank = new Map<Section, number>();
  for (const s of sorted) {
    const spec = specById.get(s.id);
    const perIfaceSpec = spec?.scope === 'per-interface';
    const problem = !spec
      ? 'unknown source'
      : s.iface !== undefined && !isValidIfaceName(s.iface)
        ? 'not a valid interface name'
        : perIfaceSpec !== (s.iface !== undefined)
          ? perIfaceSpec
            ? 'no interface for a per-interface source'
            : 'an interface for a host-wide source'
          : seen.has(`${s.id}/${s.iface ?? ''}`)
            ? 'sent twice'
            : undefined;
    if (problem) {
      warnings.push(`${sectionName(s.id, s.iface)} dropped: ${problem}`);
      continue;
    }
    seen.add(`${s.id}/${s.iface ?? ''}`);
    const kept = capped(s, warnings);
    rank.set(kept, rank.size);
    (kept.iface === undefined ? hostWide : perIface).push(kept);
  }
  return { hostWide, perIface, rank };
}

function capped(s: Section, warnings: string[]): Section {
  if (s.stdout.length <= MAX_SECTION_BYTES) return s;
  warnings.push(
    `${sectionName(s.id, s.iface)}: ${s.stdout.length} bytes of output, only the first ${MAX_SECTION_BYTES} kept`,
  );
  return { ...s, stdout: s.stdout.subarray(0, MAX_SECTION_BYTES) };
}

// The interfaces the host named (sysfs, ip link, /proc/net/dev, per-interface
// sections), less any name the kernel would refuse.
export function listedInterfaces(names: Iterable<string>, warnings: string[]): Set<string> {
  const listed = new Set<string>();
  for (const n of names) {
    if (isValidIfaceName(n)) listed.add(n);
    else warnings.push(`interface ${shownName(n)} ignored: not a valid interface name`);
  }
  return listed;
}

// A host name is used as a folder of a bundle (hosts/<name>/): letters,
// digits, '-', '_' and '.', as DNS and hostname(7) have them, up to 253.
export function isValidHostName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}$/.test(name);
}
