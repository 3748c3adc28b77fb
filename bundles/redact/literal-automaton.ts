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
export function fold(c: number): number {
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

// Texts are read through two tables per automaton, both indexed by a latin1 code (raw outputs are
// decoded as latin1): the character's own part of a symbol (its code, folded when case is ignored,
// times two), and the part its follower gives (1 when that one ends a word; always 0 without a
// guard class). Index 256 stands for the end of the text; any character above latin1 reads as 255,
// which no guard class holds. The search loop is then the same few table reads for every automaton
// and every text: a bundle's search runs mostly before V8 has optimised it (its texts total a few
// hundred KB), and a loop whose guard or folding took other paths per automaton was optimised,
// thrown away and optimised again several times per bundle.
const END = 256;

export class LiteralAutomaton {
  private readonly lengths: Int32Array;
  private readonly edges: TrieEdges;
  private readonly fail: Int32Array;
  // The longest literal ending at this node or at a node on its failure chain, or -1.
  private readonly out: Int32Array;
  private readonly ignoreCase: boolean;
  // 1 for the ASCII characters of the guard class; undefined when literals match anywhere.
  private readonly guard: Uint8Array | undefined;
  private readonly ownPart = new Int32Array(256);
  private readonly followerPart = new Int32Array(END + 1);
  // The root's edges by symbol, 0 (the root) for none.
  private readonly rootNext = new Int32Array(DENSE_ROOT);
  // 1 for a symbol that labels an edge anywhere in the trie. A character no literal holds (a
  // blank, a `:` or `=` for names and dotted addresses) sends any state back to the root: known
  // without walking the failure chain, which costs a hash lookup per node of it.
  private readonly used = new Uint8Array(DENSE_ROOT);

  // `guard` undefined: literals match anywhere. Of two literals that fold to the same text, the
  // first one given is reported.
  constructor(literals: readonly string[], ignoreCase: boolean, guard?: GuardClass) {
    this.ignoreCase = ignoreCase;
    this.guard = guard && Uint8Array.from({ length: 128 }, (_, c) => (guard(c) ? 1 : 0));
    for (let c = 0; c < 256; c += 1) this.ownPart[c] = (ignoreCase ? fold(c) : c) * 2;
    if (guard) for (let c = 0; c <= END; c += 1) this.followerPart[c] = c < 128 && guard(c) ? 0 : 1;
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
          if (sym < DENSE_ROOT) this.used[sym] = 1;
          parent[next] = node;
          symbol[next] = sym;
          depth[next] = depth[node]! + 1;
        }
        node = next;
      }
      if (node !== 0 && terminal[node] === -1) terminal[node] = id;
    });
    for (let sym = 0; sym < DENSE_ROOT; sym += 1)
      this.rootNext[sym] = Math.max(this.edges.get(0, sym), 0);
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
    return sym < DENSE_ROOT ? this.rootNext[sym]! : Math.max(this.edges.get(0, sym), 0);
  }

  // A character's own part of its symbol, above latin1 (rare: texts are latin1).
  private wideOwnPart(c: number): number {
    return (this.ignoreCase ? fold(c) : c) * 2;
  }

  // The character at `i`, folded, times two, plus one when a guard class exists and what follows
  // it ends a word.
  private symbolAt(text: string, i: number): number {
    const c = text.charCodeAt(i);
    const next = i + 1 < text.length ? Math.min(text.charCodeAt(i + 1), 255) : END;
    return (c < 256 ? this.ownPart[c]! : this.wideOwnPart(c)) + this.followerPart[next]!;
  }

  private isGuard(text: string, i: number): boolean {
    const c = i < text.length ? text.charCodeAt(i) : 128;
    return c < 128 && this.guard![c] === 1;
  }

  // Where a literal starts and the longest one that starts there, in decreasing order of
  // position: the automaton reads the text backwards. Only those positions are kept, not one slot
  // per character: a text holds few of them, and a typed array as long as each text (per text
  // and per automaton, several times per bundle) was a third of the search's time and most of the
  // garbage it made. symbolAt is written out here, and the root's edges read from an array,
  // because this runs once per character of every text and nearly always stays at the root.
  private starts(text: string): { at: number[]; literal: number[] } {
    const at: number[] = [];
    const literal: number[] = [];
    const { ownPart, followerPart, rootNext, used, out } = this;
    const { firstSymbol, firstChild } = this.edges;
    let state = 0;
    let after = END;
    for (let i = text.length - 1; i >= 0; i -= 1) {
      const c = text.charCodeAt(i);
      const sym = (c < 256 ? ownPart[c]! : this.wideOwnPart(c)) + followerPart[after]!;
      after = c < 256 ? c : 255;
      // The root's array, else the state's first edge (what fallback would try first), else the
      // failure chain.
      if (state === 0) state = sym < DENSE_ROOT ? rootNext[sym]! : this.fallback(0, sym);
      else if (firstSymbol[state] === sym) state = firstChild[state]!;
      else if (sym < DENSE_ROOT && used[sym] === 0) state = 0;
      else state = this.fallback(state, sym);
      // out[0] is -1: the root ends no literal.
      if (out[state]! >= 0) {
        at.push(i);
        literal.push(out[state]!);
      }
    }
    return { at, literal };
  }

  // Left to right: the first start at or after the end of the last hit that is not glued to a
  // word before it.
  find(text: string): LiteralMatch[] {
    const { at, literal } = this.starts(text);
    const hits: LiteralMatch[] = [];
    let from = 0;
    for (let k = at.length - 1; k >= 0; k -= 1) {
      const start = at[k]!;
      if (start < from) continue;
      if (start > 0 && this.guard !== undefined && this.isGuard(text, start - 1)) continue;
      const end = start + this.lengths[literal[k]!]!;
      hits.push({ start, end, literal: literal[k]! });
      from = end;
    }
    return hits;
  }
}
