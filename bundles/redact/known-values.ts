import type { Category, SensitiveValue } from './categories.js';
import { LiteralMatcher, spellingsOf } from './literals.js';
import { normaliseSensitive, sensitiveId } from './sensitive.js';

// The set of values known to be sensitive (discovered or learned), deduplicated on their
// canonical spelling, with a literal matcher rebuilt only when the set grew.
export class KnownValues {
  private readonly byId = new Map<string, SensitiveValue>();
  // Spellings already added, as given, by category: a value is learned at every occurrence, and
  // normalising it (parsing an address, rendering a MAC) each time cost more than finding it.
  private readonly given = new Map<Category, Set<string>>();
  private cached: LiteralMatcher | undefined;

  // Whether this very spelling was added before (then adding it again changes nothing).
  hasSeen(value: SensitiveValue): boolean {
    return this.given.get(value.category)?.has(value.value) === true;
  }

  add(value: SensitiveValue): void {
    let given = this.given.get(value.category);
    if (given === undefined) {
      given = new Set();
      this.given.set(value.category, given);
    }
    if (given.has(value.value)) return;
    given.add(value.value);
    const v = normaliseSensitive(value);
    if (v === undefined) return;
    const id = sensitiveId(v);
    if (this.byId.has(id)) return;
    this.byId.set(id, v);
    this.cached = undefined;
  }

  // Whether every value is its own canonical spelling, so that a set built from `values()` holds
  // exactly these values in this order, and would build exactly this matcher.
  isCanonical(): boolean {
    for (const v of this.byId.values()) {
      const again = normaliseSensitive(v);
      if (again === undefined || again.category !== v.category || again.value !== v.value)
        return false;
    }
    return true;
  }

  values(): SensitiveValue[] {
    return [...this.byId.values()];
  }

  matcher(): LiteralMatcher {
    this.cached ??= new LiteralMatcher(this.values().flatMap(spellingsOf));
    return this.cached;
  }
}
