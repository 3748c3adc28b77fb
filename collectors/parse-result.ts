// Every parser returns what it understood plus warnings, and never throws (DESIGN.md,
// "Parsers never throw on odd input"). Success and partial success have the same shape.
export interface ParseResult<T> {
  value: T;
  warnings: string[];
}

// Cap the warnings one parser emits: a binary blob or a 10 MB garbage file must not produce a
// warning per line that is larger than the input itself.
export const MAX_WARNINGS = 50;

export class WarningList {
  readonly items: string[] = [];
  private dropped = 0;

  add(message: string): void {
    if (this.items.length < MAX_WARNINGS) this.items.push(message);
    else this.dropped++;
  }

  done(): string[] {
    if (this.dropped === 0) return this.items;
    return [...this.items, `${this.dropped} more warnings not shown`];
  }
}
