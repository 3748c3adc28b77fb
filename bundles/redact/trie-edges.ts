// The edges of a trie whose nodes are numbered in creation order: (node, symbol) -> child.
// Most nodes of a trie built from literals have one child, and a literal's nodes are numbered one
// after the other, so each node's first edge sits in arrays indexed by the node: following a
// literal reads memory in order (a hash table alone would miss the cache at every character of a
// long one). The other edges go to an open-addressing hash table. Both live in typed arrays: no
// object per node, linear to build.
export class TrieEdges {
  // Read directly by the automaton's search loop, whose states nearly always follow a first edge.
  readonly firstSymbol: Int32Array;
  readonly firstChild: Int32Array;
  private readonly branching: Uint8Array; // 1: the node has edges in the hash table too
  private from = new Int32Array(0);
  private symbol = new Int32Array(0);
  private to = new Int32Array(0);
  private mask = 0;
  private size = 0;

  // Symbols are non-negative integers.
  constructor(maxNodes: number) {
    this.firstSymbol = new Int32Array(maxNodes).fill(-1);
    this.firstChild = new Int32Array(maxNodes);
    this.branching = new Uint8Array(maxNodes);
    this.allocate(64);
  }

  // The child of `node` by `sym`, or -1.
  get(node: number, sym: number): number {
    if (this.firstSymbol[node] === sym) return this.firstChild[node]!;
    if (this.branching[node] === 0) return -1;
    for (let i = slot(node, sym, this.mask); ; i = (i + 1) & this.mask) {
      const f = this.from[i]!;
      if (f === -1) return -1;
      if (f === node && this.symbol[i] === sym) return this.to[i]!;
    }
  }

  // For a (node, sym) that has no edge yet.
  add(node: number, sym: number, child: number): void {
    if (this.firstSymbol[node] === -1) {
      this.firstSymbol[node] = sym;
      this.firstChild[node] = child;
      return;
    }
    this.branching[node] = 1;
    if ((this.size + 1) * 2 > this.from.length) this.grow();
    this.insert(node, sym, child);
  }

  private insert(node: number, sym: number, child: number): void {
    let i = slot(node, sym, this.mask);
    while (this.from[i] !== -1) i = (i + 1) & this.mask;
    this.from[i] = node;
    this.symbol[i] = sym;
    this.to[i] = child;
    this.size += 1;
  }

  private allocate(capacity: number): void {
    this.from = new Int32Array(capacity).fill(-1);
    this.symbol = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
  }

  private grow(): void {
    const [from, symbol, to] = [this.from, this.symbol, this.to];
    this.allocate(from.length * 2);
    for (let i = 0; i < from.length; i += 1)
      if (from[i] !== -1) this.insert(from[i]!, symbol[i]!, to[i]!);
  }
}

function slot(node: number, sym: number, mask: number): number {
  let h = Math.imul(node ^ Math.imul(sym, 0x9e3779b1), 0x85ebca77);
  h ^= h >>> 15;
  return h & mask;
}
