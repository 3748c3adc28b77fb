import type { SensitiveValue } from './categories.js';
import { LiteralMatcher, spellingsOf } from './literals.js';
import { normaliseSensitive, sensitiveId } from './sensitive.js';

// The set of values known to be sensitive (discovered or learned), deduplicated on their
// canonical spelling, with a literal matcher rebuilt only when the set grew.
export class KnownValues {
  private readonly byId = new Map<string, SensitiveValue>();
  private cached: LiteralMatcher | undefined;

  add(value: SensitiveValue): void {
    const v = normaliseSensitive(value);
    if (v === undefined) return;
    const id = sensitiveId(v);
    if (this.byId.has(id)) return;
    this.byId.set(id, v);
    this.cached = undefined;
  }

  values(): SensitiveValue[] {
    return [...this.byId.values()];
  }

  matcher(): LiteralMatcher {
    this.cached ??= new LiteralMatcher(this.values().flatMap(spellingsOf));
    return this.cached;
  }
}
