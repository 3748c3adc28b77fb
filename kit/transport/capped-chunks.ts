// A host decides how much it writes to stderr; we decide how much we keep.
// A compromised or broken host can print without end, and stderr is only
// ever read for error messages and the bundle's notes: the first 1 MiB is
// kept, and the cut is said at the end.
export const STDERR_CAP_BYTES = 1 << 20;

export class CappedChunks {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(private readonly cap = STDERR_CAP_BYTES) {}

  push(c: Buffer): void {
    const room = this.cap - this.kept;
    if (room <= 0) {
      this.dropped += c.length;
      return;
    }
    const part = c.length > room ? c.subarray(0, room) : c;
    this.chunks.push(part);
    this.kept += part.length;
    this.dropped += c.length - part.length;
  }

  text(): string {
    const t = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped ? `${t}\n[dropkit: ${this.dropped} more bytes of stderr not kept]\n` : t;
  }
}
