import { TrieEdges } from './trie-edges.js';

// Finds a set of literal strings in a text in one pass: time linear in the text plus the total
// length of the literals, however many there are, however long, whatever the text holds. A regex
// alternation of the same literals costs more per position the more literals it holds (and the
// redactor learns them from the text), and V8 refuses one past a size limit (a learned secret of
// 64 K characters).
//
// The result is the one `(?<![G])(?:longest|…|shortest)(?![G])` gives under matchAll, G being
// the guard class: left to right, at each position not preceded by a guard character, the
// longest literal that matches there and is not followed by one; the search resumes at its end.
//
// How: an Aho-Corasick automaton over the reversed literals, run from the end of the text back to
// its start, knows at each position the longest literal that starts there. The "not followed by"
// rule is folded into the symbols: a character is read with one bit saying whether the next one
// ends a word (is not a guard character, or is the end of the text), and a literal's last symbol
// requires that bit, so a literal glued to a longer word is never seen at all.

// Which characters make a word: only ASCII ones can (every guard class here is ASCII).
export type GuardClass = (code: number) => boolean;

// Symbols of latin1 characters (raw outputs are decoded as latin1) have their edges from the
// root in a plain array: the root is where the search is at nearly every character of a text.
const DENSE_ROOT = 512;

export interface LiteralMatch {
  readonly start: number;
  readonly end: number;
  readonly literal: number; // index into the literals given
}

// Case folding as the regex `i` flag does it without `u` (ECMAScript Canonicalize): a code unit
// becomes its upper case when that is one code unit and does not turn non-ASCII into ASCII.
const foldedAbove127 = new Uint16Array(65536); // 0: not computed yet
function fold(c: number): number {
  if (c < 128) return c >= 97 && c <= 122 ? c - 32 : c;
  let f = foldedAbove127[c]!;
  if (f === 0) {
    const u = String.fromCharCode(c).toUpperCase();
    f = u.length === 1 && u.charCodeAt(0) >= 128 ? u.charCodeAt(0) : c;
    foldedAbove127[c] = f;
  }
  return f;
}

// Node numbers ordered by depth.
function byDepth(depth: Int32Array): Int32Array {
  const count = new Int32Array(depth.reduce((m, d) => Math.max(m, d), 0) + 2);
  for (const d of depth) count[d + 1] = count[d + 1]! + 1;
  for (let d = 1; d < count.length; d += 1) count[d] = count[d]! + count[d - 1]!;
  const order = new Int32Array(depth.length);
  depth.forEach((d, v) => {
    const at = count[d]!;
    order[at] = v;
    count[d] = at + 1;
  });
  return order;
}

export class LiteralAutomaton {
  private readonly lengths: Int32Array;
  private readonly edges: TrieEdges;
  private readonly fail: Int32Array;
  // The longest literal ending at this node or at a node on its failure chain, or -1.
  private readonly out: Int32Array;
  private readonly ignoreCase: boolean;
  // 1 for the ASCII characters of the guard class; undefined when literals match anywhere.
  private readonly guard: Uint8Array | undefined;
  private readonly rootNext = new Int32Array(DENSE_ROOT).fill(-1);

  // `guard` undefined: literals match anywhere. Of two literals that fold to the same text, the
  // first one given is reported.
  constructor(literals: readonly string[], ignoreCase: boolean, guard?: GuardClass) {
    this.ignoreCase = ignoreCase;
    this.guard = guard && Uint8Array.from({ length: 128 }, (_, c) => (guard(c) ? 1 : 0));
    this.lengths = Int32Array.from(literals, (l) => l.length);
    const total = literals.reduce((n, l) => n + l.length, 0);
    this.edges = new TrieEdges(total + 1);
    const parent = new Int32Array(total + 1);
    const symbol = new Int32Array(total + 1);
    const depth = new Int32Array(total + 1);
    const terminal = new Int32Array(total + 1).fill(-1);
    let nodes = 1;
    literals.forEach((lit, id) => {
      let node = 0;
      for (let j = lit.length - 1; j >= 0; j -= 1) {
        const sym = this.symbolAt(lit, j);
        let next = this.edges.get(node, sym);
        if (next < 0) {
          next = nodes++;
          this.edges.add(node, sym, next);
          parent[next] = node;
          symbol[next] = sym;
          depth[next] = depth[node]! + 1;
        }
        node = next;
      }
      if (node !== 0 && terminal[node] === -1) terminal[node] = id;
    });
    for (let sym = 0; sym < DENSE_ROOT; sym += 1) this.rootNext[sym] = this.edges.get(0, sym);
    this.fail = new Int32Array(nodes);
    this.out = new Int32Array(nodes).fill(-1);
    this.link(byDepth(depth.subarray(0, nodes)), parent, symbol, terminal);
  }

  // Failure links and outputs, shallowest nodes first (a node's links need those of the nodes
  // above it), in an order found by counting sort: linear overall, by the usual Aho-Corasick
  // argument.
  private link(
    order: Int32Array,
    parent: Int32Array,
    symbol: Int32Array,
    terminal: Int32Array,
  ): void {
    for (const v of order) {
      if (v === 0) continue;
      this.fail[v] = parent[v] === 0 ? 0 : this.fallback(this.fail[parent[v]!]!, symbol[v]!);
      this.out[v] = terminal[v]! >= 0 ? terminal[v]! : this.out[this.fail[v]!]!;
    }
  }

  // From `state`, down its failure chain, the first node with an edge for `sym`, followed.
  private fallback(state: number, sym: number): number {
    for (let s = state; s !== 0; s = this.fail[s]!) {
      const next = this.edges.get(s, sym);
      if (next >= 0) return next;
    }
    const next = sym < DENSE_ROOT ? this.rootNext[sym]! : this.edges.get(0, sym);
    return Math.max(next, 0);
  }

  // The character at `i`, folded, times two, plus one when what follows it ends a word.
  private symbolAt(text: string, i: number): number {
    const c = text.charCodeAt(i);
    const code = this.ignoreCase ? fold(c) : c;
    if (this.guard === undefined) return code * 2;
    return code * 2 + (this.isGuard(text, i + 1) ? 0 : 1);
  }

  private isGuard(text: string, i: number): boolean {
    const c = i < text.length ? text.charCodeAt(i) : 128;
    return c < 128 && this.guard![c] === 1;
  }

  // The longest literal (+1, 0 for none) starting at each position. The automaton reads the text
  // backwards. symbolAt is written out here, and the root's edges read from an array, because
  // this runs once per character of every text and nearly always stays at the root.
  private longestFrom(text: string): Int32Array {
    const longest = new Int32Array(text.length);
    const { guard, ignoreCase, rootNext, out } = this;
    let state = 0;
    let after = 128; // the character after the current one; 128 stands for the end (no guard)
    for (let i = text.length - 1; i >= 0; i -= 1) {
      const c = text.charCodeAt(i);
      // As symbolAt: the bit is set when a guard class exists and the next character is not in it.
      const ends = guard !== undefined && !(after < 128 && guard[after] === 1) ? 1 : 0;
      const sym = (ignoreCase ? fold(c) : c) * 2 + ends;
      after = c;
      if (state === 0 && sym < DENSE_ROOT) state = Math.max(rootNext[sym]!, 0);
      else state = this.fallback(state, sym);
      if (state !== 0) longest[i] = out[state]! + 1;
    }
    return longest;
  }

  find(text: string): LiteralMatch[] {
    const longest = this.longestFrom(text);
    const hits: LiteralMatch[] = [];
    for (let p = 0; p < text.length; ) {
      const literal = longest[p]! - 1;
      const free = p === 0 || this.guard === undefined || !this.isGuard(text, p - 1);
      if (literal < 0 || !free) {
        p += 1;
        continue;
      }
      const end = p + this.lengths[literal]!;
      hits.push({ start: p, end, literal });
      p = end;
    }
    return hits;
  }
}
