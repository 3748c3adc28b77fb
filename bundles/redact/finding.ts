import type { Category, LabelCategory, SensitiveValue } from './categories.js';

// Produces replacement text for an original spelling. The redactor's pseudonymizer implements
// it; detectors only describe where a value is and which method replaces it.
export interface TokenSource {
  // An address, or a network address with its prefix length (`10.0.0.0/8`): see
  // `prefixLengthAfter`.
  ipv4(text: string): string;
  ipv6(text: string): string;
  mac(text: string): string;
  guid(text: string): string;
  label(category: LabelCategory, text: string): string;
}

// When two findings overlap, the longer one wins: the whole of its text is replaced, so nothing
// of the shorter value inside it survives either, while the reverse would leave the rest of the
// longer value readable (a learned `nodepool1` must not cut `aks-nodepool1-12345678-vmss000001`
// into a token and a readable cluster hash). On equal length the lower priority number wins: a
// secret beats everything, a known value beats a structural guess, a structural guess beats a
// bare address pattern.
export const PRIORITY = { secret: 0, known: 1, structure: 2, pattern: 3 } as const;
export type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

export interface Finding {
  readonly start: number;
  readonly end: number;
  readonly category: Category;
  readonly priority: Priority;
  readonly replace: (tokens: TokenSource, original: string) => string;
  // Values this finding teaches the redactor, so their other spellings and later occurrences
  // (in this text and in files redacted afterwards) are replaced too.
  readonly learn?: readonly SensitiveValue[];
}

// Greedy non-overlapping selection: best findings first, each claims its characters. A finding
// that overlaps an accepted one only in part is dropped, and the part outside stays readable;
// every detector here matches whole tokens, so such partial overlaps need two values glued
// together.
//
// Whether a finding is accepted depends only on the findings it overlaps, and those overlap it in
// turn: the greedy choice is the same when made separately in each group of findings that overlap
// one another, directly or in a chain. So one sort by start and a sweep find the groups; a finding
// alone in its group (nearly all of them) is accepted as is, and only the few real groups are
// ranked. (Ranking every finding of a text and marking its characters in an array as long as the
// text cost more than the detectors themselves.)
export function resolveOverlaps(findings: readonly Finding[], textLength: number): Finding[] {
  const byStart = findings.filter((f) => f.end > f.start && f.end <= textLength);
  byStart.sort((a, b) => a.start - b.start);
  const accepted: Finding[] = [];
  // The group is byStart[from..i): found by indices, not gathered into an array per group.
  let from = 0;
  let groupEnd = -1;
  for (let i = 0; i < byStart.length; i += 1) {
    const f = byStart[i]!;
    if (f.start >= groupEnd) {
      settle(byStart, from, i, accepted);
      from = i;
    }
    groupEnd = Math.max(groupEnd, f.end);
  }
  settle(byStart, from, byStart.length, accepted);
  return accepted;
}

// The order of the greedy choice: longer first, then lower priority number, then earlier.
function rank(a: Finding, b: Finding): number {
  return b.end - b.start - (a.end - a.start) || a.priority - b.priority || a.start - b.start;
}

// The greedy choice within one group of overlapping findings, appended in order of start. A
// large group (detectors whose matches interleave along a crafted run) marks the characters it
// claims, as the whole text once did, so it stays linear in the group's span. A group of two
// (an address found both by its pattern and as a known value: most groups) overlaps itself, so
// the better of the two is the choice, the first on a tie as the stable sort would have it.
function settle(all: readonly Finding[], from: number, to: number, accepted: Finding[]): void {
  if (to - from <= 2) {
    if (to - from === 1) accepted.push(all[from]!);
    else if (to - from === 2)
      accepted.push(rank(all[from + 1]!, all[from]!) < 0 ? all[from + 1]! : all[from]!);
    return;
  }
  const group = all.slice(from, to);
  const ranked = [...group].sort(rank);
  const chosen: Finding[] = [];
  if (group.length <= SMALL_GROUP) {
    for (const f of ranked)
      if (chosen.every((c) => f.end <= c.start || f.start >= c.end)) chosen.push(f);
  } else {
    const base = group[0]!.start;
    const taken = new Uint8Array(group.reduce((m, f) => Math.max(m, f.end), 0) - base);
    for (const f of ranked) {
      let free = true;
      for (let i = f.start - base; i < f.end - base && free; i += 1) free = taken[i] === 0;
      if (!free) continue;
      taken.fill(1, f.start - base, f.end - base);
      chosen.push(f);
    }
  }
  // Not spread into push: a crafted group can hold more findings than a call has arguments.
  for (const f of chosen.sort((a, b) => a.start - b.start)) accepted.push(f);
}

// Up to this many findings, a group compares each with those chosen instead of marking.
const SMALL_GROUP = 8;

// A route or a rule writes a network as `10.0.0.0/8`. When the address has no host bits set,
// its finding takes in the `/8` too, and the network is written as the network of the address's
// token: a prefix-preserving token keeps the first 8 bits, not the zeros after them. Returns the
// length written right after `end` and where it ends, if any (`/8080`, `/24.5` and `/x` are not
// lengths).
export function prefixLengthAfter(
  text: string,
  end: number,
): { readonly length: number; readonly end: number } | undefined {
  if (text.charCodeAt(end) !== 47) return undefined; // `/`: most addresses have none
  const m = /^\/(\d{1,3})(?![\d.])/.exec(text.slice(end, end + 5));
  return m ? { length: Number(m[1]), end: end + m[0].length } : undefined;
}
