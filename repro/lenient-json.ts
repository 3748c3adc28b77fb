// A JSON reader that keeps what it could read. iperf3 killed mid-run, a lost
// SSH connection or a full disk leave a document cut short; JSON.parse would
// give nothing, this gives every complete value before the cut.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

export interface LenientJson {
  value: JsonValue | undefined;
  // false when the text ended early or had garbage where a value belonged.
  complete: boolean;
  problem?: string;
}

class Cut extends Error {}

// Sticky: each match starts exactly at lastIndex, with no copy of the input,
// so a multi-megabyte iperf3 document is read in linear time.
const STRING = /"((?:[^"\\\n]|\\.)*)"/y;
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const SPACE = /\s*/y;

function matchAt(re: RegExp, s: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(s);
}

class Reader {
  pos = 0;
  problem: string | undefined;
  constructor(private readonly s: string) {}

  private ws(): void {
    this.pos += matchAt(SPACE, this.s, this.pos)?.[0].length ?? 0;
  }

  private fail(why: string): never {
    this.problem ??= `${why} at offset ${this.pos}`;
    throw new Cut(why);
  }

  value(): JsonValue {
    this.ws();
    const c = this.s[this.pos];
    if (c === undefined) this.fail('unexpected end of input');
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    const lit = matchAt(LITERAL, this.s, this.pos);
    if (lit) {
      this.pos += lit[0].length;
      return lit[0] === 'null' ? null : lit[0] === 'true';
    }
    const num = matchAt(NUMBER, this.s, this.pos);
    if (num) {
      // A cut can fall inside a number ("12" of 1234, "2." of 2.5): one that
      // runs into the end, or stops before a fraction or exponent, is partial.
      const next = this.s[this.pos + num[0].length];
      if (next === undefined || '.eE'.includes(next)) this.fail('incomplete number');
      this.pos += num[0].length;
      return Number(num[0]);
    }
    return this.fail(`unexpected "${c}"`);
  }

  // On a cut inside, the members read so far are kept and the cut re-thrown
  // with the partial object attached, so every enclosing level keeps its part.
  private object(): JsonValue {
    const out: { [k: string]: JsonValue } = {};
    this.pos++;
    try {
      this.ws();
      if (this.s[this.pos] === '}') {
        this.pos++;
        return out;
      }
      for (;;) {
        this.ws();
        if (this.s[this.pos] !== '"') this.fail('expected a key');
        const key = this.string();
        this.ws();
        if (this.s[this.pos] !== ':') this.fail('expected ":"');
        this.pos++;
        out[key] = this.partial(
          () => this.value(),
          (v) => (out[key] = v),
        );
        this.ws();
        const c = this.s[this.pos++];
        if (c === '}') return out;
        if (c !== ',') this.fail('expected "," or "}"');
      }
    } catch (e) {
      throw withPartial(e, out);
    }
  }

  private array(): JsonValue {
    const out: JsonValue[] = [];
    this.pos++;
    try {
      this.ws();
      if (this.s[this.pos] === ']') {
        this.pos++;
        return out;
      }
      for (;;) {
        out.push(
          this.partial(
            () => this.value(),
            (v) => out.push(v),
          ),
        );
        this.ws();
        const c = this.s[this.pos++];
        if (c === ']') return out;
        if (c !== ',') this.fail('expected "," or "]"');
      }
    } catch (e) {
      throw withPartial(e, out);
    }
  }

  // Runs read(); if it was cut after building a container, keeps that part.
  private partial(read: () => JsonValue, keep: (v: JsonValue) => void): JsonValue {
    try {
      return read();
    } catch (e) {
      if (e instanceof PartialCut) keep(e.partial);
      throw e instanceof PartialCut ? new Cut(e.message) : e;
    }
  }

  private string(): string {
    const m = matchAt(STRING, this.s, this.pos);
    if (!m) this.fail('unterminated string');
    this.pos += m[0].length;
    try {
      return JSON.parse(m[0]) as string;
    } catch {
      return m[1] ?? '';
    }
  }
}

class PartialCut extends Cut {
  constructor(
    message: string,
    readonly partial: JsonValue,
  ) {
    super(message);
  }
}

function withPartial(e: unknown, partial: JsonValue): unknown {
  if (e instanceof PartialCut || !(e instanceof Cut)) return e;
  return new PartialCut(e.message, partial);
}

// Reads the first JSON value in `text`, skipping anything before its first
// "{" (a warning line iperf3 or a shell printed on the same stream).
export function parseLenientJson(text: string): LenientJson {
  const start = text.indexOf('{');
  if (start < 0) return { value: undefined, complete: false, problem: 'no JSON object found' };
  const body = text.slice(start);
  try {
    return { value: JSON.parse(body) as JsonValue, complete: true };
  } catch {
    // Fall through to the lenient reader: trailing text, or a cut document.
  }
  const r = new Reader(body);
  try {
    const value = r.value();
    return { value, complete: true, problem: 'text after the JSON document was ignored' };
  } catch (e) {
    const value = e instanceof PartialCut ? e.partial : undefined;
    return { value, complete: false, problem: r.problem ?? String(e) };
  }
}
