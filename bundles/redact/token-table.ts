import { type DigestStream, digestStream } from './digest.js';

// Enough redraws to get out of any realistic collision; short shapes (a 7-character IPv4 has
// only 999 tokens) are the only ones that could run out, and then the caller falls back.
const MAX_ATTEMPTS = 64;

// One category's pseudonyms: deterministic draws, remembered, and never handed to two different
// originals within one redactor. A collision is settled by drawing again with the next attempt
// number; that keeps both values distinct here, but the value that lost may get a different
// token in a run that never saw the winner (see README caveats).
export class TokenTable<V> {
  private readonly secret: Buffer;
  private readonly namespace: string;
  private readonly identity: (value: V) => string;
  private readonly chosen = new Map<string, V>();
  private readonly owners = new Map<string, string>();
  // Shapes whose tokens ran out. A draw that fails MAX_ATTEMPTS times means the space is (all
  // but) full, and each later value of that shape would pay as many digests for the same answer:
  // a few thousand distinct short names would cost seconds. An empty shape means the token space
  // depends on the value itself, so nothing is concluded from it.
  private readonly full = new Set<string>();

  constructor(secret: Buffer, namespace: string, identity: (value: V) => string) {
    this.secret = secret;
    this.namespace = namespace;
    this.identity = identity;
  }

  // `key` is the normalised original; `shape` is whatever else the token must respect (its
  // length, for tokens fitted to the original's width) and names the space tokens are drawn from.
  get(key: string, shape: string, draw: (stream: DigestStream) => V | undefined): V | undefined {
    const slot = `${key}\u0000${shape}`;
    const known = this.chosen.get(slot);
    if (known !== undefined) return known;
    if (this.full.has(shape)) return undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const value = draw(digestStream(this.secret, this.namespace, key, attempt));
      if (value === undefined) continue;
      const id = `${shape}\u0000${this.identity(value)}`;
      const owner = this.owners.get(id);
      if (owner !== undefined && owner !== key) continue;
      this.owners.set(id, key);
      this.chosen.set(slot, value);
      return value;
    }
    if (shape !== '') this.full.add(shape);
    return undefined;
  }
}

// Tokens derived from the value alone, such as prefix-preserving addresses: there is nothing to
// draw again, since another token would break the prefix. A token that another value already holds
// within this redactor is refused, and the caller writes the marker instead; which of the two
// values gets the marker depends on which came first (see README caveats).
export class DerivedTokens<V> {
  private readonly identity: (value: V) => string;
  private readonly chosen = new Map<string, V | null>();
  private readonly owners = new Map<string, string>();

  constructor(identity: (value: V) => string) {
    this.identity = identity;
  }

  get(key: string, derive: () => V): V | undefined {
    const known = this.chosen.get(key);
    if (known !== undefined) return known ?? undefined;
    const value = derive();
    const id = this.identity(value);
    const owner = this.owners.get(id);
    const free = owner === undefined || owner === key;
    if (free) this.owners.set(id, key);
    this.chosen.set(key, free ? value : null);
    return free ? value : undefined;
  }
}
