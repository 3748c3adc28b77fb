import { fold, type GuardClass, LiteralAutomaton } from './literal-automaton.js';
import { TrieEdges } from './trie-edges.js';

// Finds guarded literals (`word`, `colon`) the way LiteralAutomaton does, with the same result,
// by walking a trie of the literals forwards from each position where one may start: a position
// not preceded by a guard character, whose character begins some literal. The automaton reads
// every character of every text through a state of its own, once per group of literals; a log
// line holds a few such starts, each left after a character or two unless a literal is there. On a
// syslog of one address, MAC and host name per line, the automata were a third of `collect
// redact`'s time.
//
// A walk can cost as much as the longest literal at each start (literals `a.a.…` in a text of
// `a.a.…`), so the walks of a text share a budget linear in its length. A text that spends it is
// searched by the automaton instead, built the first time one does: linear either way.

// Characters walked per character of the text, beyond a fixed allowance, before the automaton
// takes over.
const WALK_PER_CHAR = 4;
const WALK_ALLOWANCE = 1024;

// Symbols of latin1 characters have their edges from the root in a plain array: every start
// candidate is looked up there.
const DENSE_ROOT = 512;

export class LiteralWalk {
  private readonly edges: TrieEdges;
  private readonly terminal: Int32Array;
  private readonly lengths: Int32Array;
  // A latin1 character's symbol: its code, folded when case is ignored.
  private readonly own = new Int32Array(256);
  private readonly rootNext = new Int32Array(DENSE_ROOT).fill(-1);
  // By latin1 character: the root's child for it, or -1; and 1 for the guard class (all ASCII).
  // The search looks both up at every character of the text.
  readonly start = new Int32Array(256);
  readonly guard = new Uint8Array(256);

  constructor(
    literals: readonly string[],
    private readonly ignoreCase: boolean,
    guard: GuardClass,
  ) {
    for (let c = 0; c < 256; c += 1) {
      this.own[c] = ignoreCase ? fold(c) : c;
      this.guard[c] = c < 128 && guard(c) ? 1 : 0;
    }
    this.lengths = Int32Array.from(literals, (l) => l.length);
    const total = literals.reduce((n, l) => n + l.length, 0);
    this.edges = new TrieEdges(total + 1);
    this.terminal = new Int32Array(total + 1).fill(-1);
    let nodes = 1;
    literals.forEach((lit, id) => {
      let node = 0;
      for (let j = 0; j < lit.length; j += 1) {
        const sym = this.symbol(lit.charCodeAt(j));
        let next = this.edges.get(node, sym);
        if (next < 0) {
          next = nodes++;
          this.edges.add(node, sym, next);
          if (node === 0 && sym < DENSE_ROOT) this.rootNext[sym] = next;
        }
        node = next;
      }
      // Of two literals that fold to the same text, the first one given is reported.
      if (node !== 0 && this.terminal[node] === -1) this.terminal[node] = id;
    });
    for (let c = 0; c < 256; c += 1) this.start[c] = this.rootChild(this.own[c]!);
  }

  private symbol(c: number): number {
    return c < 256 ? this.own[c]! : this.ignoreCase ? fold(c) : c;
  }

  private rootChild(sym: number): number {
    return sym < DENSE_ROOT ? this.rootNext[sym]! : this.edges.get(0, sym);
  }

  startsWith(c: number): boolean {
    return this.start[c]! >= 0;
  }

  glues(c: number): boolean {
    return this.guard[c] === 1;
  }

  // The longest literal that starts at `s` and is not followed by a guard character, or -1.
  // Adds the characters it read past `s` to `steps`.
  steps = 0;
  longestAt(text: Uint8Array, s: number): number {
    const { guard, terminal, own, edges } = this;
    const { firstSymbol, firstChild } = edges;
    const n = text.length;
    let best = -1;
    let node = this.start[text[s]!]!;
    for (let i = s; node >= 0; ) {
      if (terminal[node]! >= 0 && (i + 1 === n || guard[text[i + 1]!] === 0))
        best = terminal[node]!;
      i += 1;
      if (i >= n) break;
      this.steps += 1;
      const sym = own[text[i]!]!;
      node = firstSymbol[node] === sym ? firstChild[node]! : edges.get(node, sym);
    }
    return best;
  }

  length(literal: number): number {
    return this.lengths[literal]!;
  }
}

// The walks of several groups of literals in one pass over a text: left to right, for each
// group, at each position not preceded by one of its guard characters, the longest of its
// literals that starts there and is not followed by one; its search resumes at the hit's end.
// Which groups may start at a position is told by two table reads, once for all groups: a mask of
// the groups with a literal that begins with its character, less the groups its previous
// character glues to. Most positions (inside a word, or at a character no literal begins with)
// get no group at all, and the others only the groups that may match there.
export class WalkSet {
  // By latin1 character, one bit per walk.
  private readonly starting = new Int32Array(256);
  private readonly glued = new Int32Array(256);

  constructor(private readonly walks: readonly LiteralWalk[]) {
    // One bit each: a matcher has one walk per guard and case rule, four at most.
    if (walks.length > 31) throw new RangeError('too many groups of literals for one walk set');
    for (const [g, w] of walks.entries())
      for (let c = 0; c < 256; c += 1) {
        if (w.startsWith(c)) this.starting[c] = this.starting[c]! | (1 << g);
        if (w.glues(c)) this.glued[c] = this.glued[c]! | (1 << g);
      }
  }

  // Each group's hits as (start, end, literal) triples, or undefined for a group whose walks
  // cost more than `budget` characters. `text` is latin1, one byte per character.
  find(text: Uint8Array, budget: number): Array<number[] | undefined> {
    const { walks, starting, glued } = this;
    if (walks.length === 0) return [];
    const hits: Array<number[] | undefined> = walks.map(() => []);
    const next = walks.map(() => 0);
    for (const w of walks) w.steps = 0;
    const n = text.length;
    for (let s = 0; s < n; s += 1) {
      let groups = starting[text[s]!]!;
      if (groups === 0) continue;
      if (s > 0) groups &= ~glued[text[s - 1]!]!;
      for (let g = 0; groups !== 0; g += 1, groups >>>= 1) {
        if ((groups & 1) === 0) continue;
        const own = hits[g];
        if (own === undefined || s < next[g]!) continue;
        const w = walks[g]!;
        const literal = w.longestAt(text, s);
        if (w.steps > budget) hits[g] = undefined;
        else if (literal >= 0) {
          next[g] = s + w.length(literal);
          own.push(s, next[g]!, literal);
        }
      }
    }
    return hits;
  }
}

// Characters above latin1 (a text that did not come from bytes) leave the walks to the automaton:
// the walks read one byte per character.
const WIDE = /[^\x00-\xff]/;

// The bytes of a latin1 text, for the walks of every group of a matcher, or undefined for a text
// with wider characters. Encoding is a copy, far cheaper than reading the text by charCodeAt.
export function latin1Bytes(text: string): Uint8Array | undefined {
  return WIDE.test(text) ? undefined : Buffer.from(text, 'latin1');
}

// A group of literals: its walk when a guard class bounds where they start, and the automaton,
// built the first time a text needs it (no guard class, a text of wider characters, or walks
// over budget).
export class LiteralSearch {
  readonly walk: LiteralWalk | undefined;
  private automaton: LiteralAutomaton | undefined;

  constructor(
    private readonly literals: readonly string[],
    private readonly ignoreCase: boolean,
    private readonly guard?: GuardClass,
  ) {
    if (guard) this.walk = new LiteralWalk(literals, ignoreCase, guard);
    else this.automaton = new LiteralAutomaton(literals, ignoreCase);
  }

  // The automaton's hits, as (start, end, literal) triples appended to `hits`.
  searchAll(text: string, hits: number[]): void {
    this.automaton ??= new LiteralAutomaton(this.literals, this.ignoreCase, this.guard);
    for (const m of this.automaton.find(text)) hits.push(m.start, m.end, m.literal);
  }
}

// The walks' budget for a text: characters walked per character, beyond a fixed allowance.
export function walkBudget(text: string): number {
  return WALK_PER_CHAR * text.length + WALK_ALLOWANCE;
}
