import { createHmac } from 'node:crypto';

// A deterministic byte stream keyed by the per-case secret: HMAC-SHA256 over a namespace, the
// normalised original and an attempt counter, extended block by block when a token needs more
// than 32 bytes. Same secret + same value -> same bytes, on every host and in every run; without
// the secret the bytes say nothing about the value.
export class DigestStream {
  private readonly secret: Buffer;
  private readonly label: string;
  private block = 0;
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  constructor(secret: Buffer, label: string) {
    this.secret = secret;
    this.label = label;
  }

  byte(): number {
    if (this.pos >= this.buf.length) {
      this.buf = createHmac('sha256', this.secret)
        .update(`${this.label}\u0000${this.block}`)
        .digest();
      this.block += 1;
      this.pos = 0;
    }
    const b = this.buf[this.pos]!;
    this.pos += 1;
    return b;
  }

  // An integer in [0, n). Drawing 32 bits keeps the modulo bias below 2^-16 for every range
  // used here (n <= 65536), which is far below anything a reader could notice.
  below(n: number): number {
    const v = ((this.byte() << 24) | (this.byte() << 16) | (this.byte() << 8) | this.byte()) >>> 0;
    return v % n;
  }

  hex(chars: number): string {
    let out = '';
    while (out.length < chars) out += this.byte().toString(16).padStart(2, '0');
    return out.slice(0, chars);
  }
}

// The first 32 bytes of `digestStream(secret, namespace, key, 0)`, in one HMAC.
export function digestBlock(secret: Buffer, namespace: string, key: string): Buffer {
  return createHmac('sha256', secret)
    .update(`${namespace}\u0000${key}\u0000${0}\u0000${0}`)
    .digest();
}

export function digestStream(
  secret: Buffer,
  namespace: string,
  key: string,
  attempt: number,
): DigestStream {
  return new DigestStream(secret, `${namespace}\u0000${key}\u0000${attempt}`);
}
