import type { Category, SensitiveValue } from './categories.js';
import { parseGuid, renderGuid } from './guid.js';
import { parseIPv4 } from './ipv4.js';
import { compressIPv6, expandIPv6, parseIPv6 } from './ipv6.js';
import type { GuardClass } from './literal-automaton.js';
import { LiteralSearch, latin1Bytes, WalkSet, walkBudget } from './literal-walk.js';
import { parseMac, renderMac } from './mac.js';

// Where a literal may sit. `word`: not glued to a letter or digit, so host `vm01` is not found
// inside `vm012` but is inside `vm01.internal` or `/var/log/vm01/`. `colon`: also not glued to a
// colon, so a MAC is not found in the middle of a longer link-layer address and `fe80::1` is not
// found inside `fe80::1:2`. `none`: anywhere (user keywords and secrets).
type Guard = 'word' | 'colon' | 'none';

const isAlnum: GuardClass = (c) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const GUARD_CLASS: Record<Guard, GuardClass | undefined> = {
  word: isAlnum,
  colon: (c) => c === 58 || isAlnum(c),
  none: undefined,
};

export interface LiteralSpelling {
  readonly text: string;
  readonly category: Category;
  readonly ignoreCase: boolean;
  readonly guard: Guard;
}

export interface LiteralHit {
  readonly start: number;
  readonly end: number;
  readonly category: Category;
}

// Every spelling under which a value can appear in host output. The redactor replaces exactly
// these and the leak scan searches exactly these, so the scan cannot flag something the redactor
// was never going to touch, and cannot miss something it should have.
export function spellingsOf(v: SensitiveValue): LiteralSpelling[] {
  const out: LiteralSpelling[] = [];
  const add = (text: string, ignoreCase: boolean, guard: Guard): void => {
    out.push({ text, category: v.category, ignoreCase, guard });
    // Raw outputs are redacted as latin1 so bytes round-trip; a non-ASCII name then appears as
    // its UTF-8 bytes, one character each. (ASCII is its own UTF-8: no buffer needed.)
    if (/^[\x00-\x7f]*$/.test(text)) return;
    const bytes = Buffer.from(text, 'utf8').toString('latin1');
    if (bytes !== text) out.push({ text: bytes, category: v.category, ignoreCase, guard });
  };
  switch (v.category) {
    case 'ipv4': {
      const p = parseIPv4(v.value);
      if (p === undefined) break;
      const dotted = v.value.replaceAll('-', '.');
      add(dotted, false, 'word');
      add(dotted.replaceAll('.', '-'), false, 'word');
      break;
    }
    case 'ipv6': {
      const p = parseIPv6(v.value);
      if (p === undefined) break;
      for (const s of new Set([
        compressIPv6(p.groups),
        expandIPv6(p.groups, false),
        expandIPv6(p.groups, true),
      ]))
        add(s, true, 'colon');
      break;
    }
    case 'mac': {
      const p = parseMac(v.value);
      if (p === undefined) break;
      add(renderMac(p.bytes, 'colon', false), true, 'colon');
      if (p.bytes.length === 6)
        for (const style of ['dash', 'dot', 'bare'] as const)
          add(renderMac(p.bytes, style, false), true, 'word');
      break;
    }
    case 'guid': {
      const p = parseGuid(v.value);
      if (p === undefined) break;
      add(renderGuid(p.hex, true, false), true, 'word');
      add(p.hex, true, 'word');
      break;
    }
    case 'user':
      add(v.value, false, 'word');
      break;
    case 'keyword':
      add(v.value, true, 'none');
      break;
    case 'secret':
      add(v.value, false, 'none');
      break;
    default:
      add(v.value, true, 'word');
  }
  return out;
}

// When one text is known under two categories (a user and a host both called `alice`), the
// first here wins.
const PRECEDENCE: readonly Category[] = [
  'secret',
  'ipv4',
  'ipv6',
  'mac',
  'guid',
  'user',
  'hostname',
  'domain',
  'azure-name',
  'keyword',
];

interface Group {
  readonly search: LiteralSearch;
  readonly categories: readonly Category[];
  // Each literal as searched: lower case when case is ignored.
  readonly spellings: readonly string[];
  readonly ignoreCase: boolean;
  // Its place among the walks, or -1 for a group without one.
  readonly walk: number;
}

// One search per (guard, case rule). Like the regex alternation it replaces, each position
// takes the longest spelling that fits, so `aks-pool-vmss_0` wins over its prefix `aks-pool-vmss`;
// unlike it, the time is linear in the text whatever the spellings (see literal-automaton.ts and
// literal-walk.ts).
export class LiteralMatcher {
  private readonly groups: Group[] = [];
  private readonly walks: WalkSet;

  constructor(spellings: readonly LiteralSpelling[]) {
    // In PRECEDENCE order, by bucket rather than by comparison sort (tens of thousands of them).
    const sorted = PRECEDENCE.flatMap((c) => spellings.filter((s) => s.category === c));
    const buckets = new Map<
      string,
      { guard: Guard; ignoreCase: boolean; byText: Map<string, Category> }
    >();
    for (const s of sorted) {
      if (s.text === '') continue;
      const id = `${s.guard}/${s.ignoreCase}`;
      let bucket = buckets.get(id);
      if (bucket === undefined) {
        bucket = { guard: s.guard, ignoreCase: s.ignoreCase, byText: new Map() };
        buckets.set(id, bucket);
      }
      const key = s.ignoreCase ? s.text.toLowerCase() : s.text;
      if (!bucket.byText.has(key)) bucket.byText.set(key, s.category);
    }
    const walks = [];
    for (const b of buckets.values()) {
      const search = new LiteralSearch([...b.byText.keys()], b.ignoreCase, GUARD_CLASS[b.guard]);
      if (search.walk) walks.push(search.walk);
      const walk = search.walk ? walks.length - 1 : -1;
      this.groups.push({
        search,
        categories: [...b.byText.values()],
        spellings: [...b.byText.keys()],
        ignoreCase: b.ignoreCase,
        walk,
      });
    }
    this.walks = new WalkSet(walks);
  }

  find(text: string): LiteralHit[] {
    const hits: LiteralHit[] = [];
    this.each(text, (start, end, category) => hits.push({ start, end, category }));
    return hits;
  }

  // The hits of `find`, in its order, without an object each: a text holds a hit for nearly
  // every value in it. The groups with a guard class are walked together, in one pass
  // (literal-walk.ts); the others, and any the walks leave, are searched by their automaton.
  // `spelling` is the literal found, as searched (lower case when `ignoreCase`): a string that
  // lives as long as the matcher, so a cache keyed by it hashes it once, not once per hit.
  each(
    text: string,
    visit: (
      start: number,
      end: number,
      category: Category,
      spelling: string,
      ignoreCase: boolean,
    ) => void,
  ): void {
    const bytes = latin1Bytes(text);
    const walked = bytes === undefined ? [] : this.walks.find(bytes, walkBudget(text));
    for (const g of this.groups) {
      let hits = walked[g.walk];
      if (hits === undefined) {
        hits = [];
        g.search.searchAll(text, hits);
      }
      for (let k = 0; k < hits.length; k += 3)
        visit(
          hits[k]!,
          hits[k + 1]!,
          g.categories[hits[k + 2]!]!,
          g.spellings[hits[k + 2]!]!,
          g.ignoreCase,
        );
    }
  }
}
