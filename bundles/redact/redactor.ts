import { byText } from '../../kit/compare.js';
import {
  type Category,
  type CategoryCounts,
  emptyCounts,
  type MappingEntry,
  SECRET_MARKER,
  type SensitiveValue,
} from './categories.js';
import { looksLikeImds, patternFindings } from './detect.js';
import { type Discovered, discoveredValues } from './discovered.js';
import { type Finding, PRIORITY, resolveOverlaps, type TokenSource } from './finding.js';
import { KnownValues } from './known-values.js';
import { LeakScanner } from './leak-scan.js';
import { Pseudonymizer } from './pseudonymizer.js';
import { applyReplacements, type Replacement } from './realign.js';

export interface RedactorOptions {
  // Per-case key for the pseudonyms. It stays on the operator's machine: nothing below writes
  // it into any output, including the map.
  readonly secret: Buffer;
  readonly discovered?: Discovered;
  // Categories left readable (`--keep hostname`): their values are neither replaced nor listed
  // by `sensitiveValues()`. Secrets cannot be kept.
  readonly keep?: readonly Category[];
  // Default true: `observe` keeps what it found in a text (up to 8 M characters of text in all)
  // so that redacting the same text does not find it again. A redactor that only observes, and
  // leaves the redacting to another one, passes false: it would hold them for nothing.
  readonly reuseFindings?: boolean;
}

export interface RedactedText {
  readonly text: string;
  readonly counts: CategoryCounts;
}

export interface RedactedBuffer {
  readonly buffer: Buffer;
  readonly counts: CategoryCounts;
}

export interface TextFile {
  readonly path: string;
  readonly text: string;
}

export interface Redactor {
  // Learn the sensitive values in a text without redacting it. Call it on every file of a
  // bundle before redacting any (or use `redactFiles`), so a value first printed in a later file
  // is still replaced in an earlier one (an `ip-10-1-2-3` host name before the `ip addr` that
  // shows 10.1.2.3).
  observe(text: string, file?: string): void;
  redactText(text: string, file?: string): RedactedText;
  // Raw outputs as bytes. Decoded as latin1 (one char per byte), so bytes that are not UTF-8
  // survive and an output with nothing to redact comes back byte-identical.
  redactBuffer(buf: Buffer, file?: string): RedactedBuffer;
  redactFiles(files: readonly TextFile[]): { files: TextFile[]; counts: CategoryCounts };
  // For the operator only: original -> pseudonym. Secrets have no entry (they have no
  // pseudonym), so the map never holds a password.
  mapping(): MappingEntry[];
  // Every sensitive value discovered or seen so far, for `scanForLeaks`.
  sensitiveValues(): SensitiveValue[];
  // A scanner for those same values, as `new LeakScanner(sensitiveValues())` would be, reusing
  // the redactor's own matcher when it is the one they would build (nothing kept): with tens of
  // thousands of values, building it is most of a small input's scan.
  leakScanner(): LeakScanner;
}

// 128 bits: the pseudonyms are only as private as this key.
const MIN_SECRET_BYTES = 16;
// The findings kept between observe and redact, in characters of text: every file of a bundle
// fits, while the logs of a sos report (gigabytes) are found again instead of held.
const SEEN_MAX_CHARS = 8 << 20;

function replaceLiteral(tokens: TokenSource, category: Category, original: string): string {
  switch (category) {
    case 'ipv4':
      return tokens.ipv4(original);
    case 'ipv6':
      return tokens.ipv6(original);
    case 'mac':
      return tokens.mac(original);
    case 'guid':
      return tokens.guid(original);
    case 'secret':
      return SECRET_MARKER;
    default:
      return tokens.label(category, original);
  }
}

// One replace function per category, shared by every literal finding of it: a text holds a
// literal hit for nearly every value in it, and a closure per hit was garbage per hit. They also
// tell literal findings from pattern findings, whose replace functions are their detectors' own.
const LITERAL_REPLACE = new Map<Category, Finding['replace']>();
const LITERAL_REPLACERS = new Set<Finding['replace']>();
function literalReplace(category: Category): Finding['replace'] {
  let replace = LITERAL_REPLACE.get(category);
  if (replace === undefined) {
    replace = (t, o) => replaceLiteral(t, category, o);
    LITERAL_REPLACE.set(category, replace);
    LITERAL_REPLACERS.add(replace);
  }
  return replace;
}

// A known value where the matcher found it, with the literal it matched as searched (lower case
// when case was ignored): see `LiteralMatcher.each`.
interface LiteralFinding extends Finding {
  readonly spelling: string;
  readonly ignoreCase: boolean;
}

function literalFinding(
  start: number,
  end: number,
  category: Category,
  spelling: string,
  ignoreCase: boolean,
): LiteralFinding {
  return {
    start,
    end,
    category,
    priority: PRIORITY.known,
    replace: literalReplace(category),
    spelling,
    ignoreCase,
  };
}

// Whether the text at `start` is `spelling` itself, case included.
function spells(text: string, start: number, spelling: string): boolean {
  for (let i = 0; i < spelling.length; i += 1)
    if (text.charCodeAt(start + i) !== spelling.charCodeAt(i)) return false;
  return true;
}

export function createRedactor(options: RedactorOptions): Redactor {
  if (!Buffer.isBuffer(options.secret) || options.secret.length < MIN_SECRET_BYTES)
    throw new RangeError(
      `the redaction secret must be a Buffer of at least ${MIN_SECRET_BYTES} bytes`,
    );
  const keep = new Set<Category>(options.keep ?? []);
  if (keep.has('secret')) throw new RangeError('secrets are always redacted: they cannot be kept');
  const pseudonyms = new Pseudonymizer(Buffer.from(options.secret));
  const known = new KnownValues();
  for (const v of discoveredValues(options.discovered ?? {})) known.add(v);

  const learn = (findings: readonly Finding[]): void => {
    for (const f of findings)
      for (const v of f.learn ?? [])
        if (!known.hasSeen(v) && !pseudonyms.isToken(v.value)) known.add(v);
  };
  // Every file is scanned twice, observed then redacted; the pattern findings depend on the text
  // and on whether it is an IMDS document alone, so the second pass reuses the first's (half the
  // regex work). `observe` stores them and redaction takes them back: a text redacted without
  // being observed first (the pieces of a large log) is neither looked up nor kept.
  const reuse = options.reuseFindings ?? true;
  const seen = new Map<string, Finding[]>();
  let seenChars = 0;
  const keyOf = (text: string, imds: boolean): string => `${imds ? 'i' : '-'}${text}`;
  // A text observed twice (observe, then redactFiles) is found once.
  const observe = (text: string, file?: string): void => {
    const imds = looksLikeImds(text, file);
    const key = reuse ? keyOf(text, imds) : undefined;
    let found = key === undefined ? undefined : seen.get(key);
    if (found === undefined) {
      found = patternFindings(text, imds);
      if (key !== undefined && seenChars + text.length <= SEEN_MAX_CHARS) {
        seen.set(key, found);
        seenChars += text.length;
      }
    }
    learn(found);
  };
  const findingsOf = (text: string, file?: string): Finding[] => {
    const imds = looksLikeImds(text, file);
    if (seen.size > 0) {
      const key = keyOf(text, imds);
      const found = seen.get(key);
      if (found !== undefined) {
        seen.delete(key);
        seenChars -= text.length;
        return found;
      }
    }
    return patternFindings(text, imds);
  };

  // The replacement of each literal, by category and literal, for hits that spell it exactly:
  // a log names the same few values on every line, and looking each one up by its own text (a
  // slice of the text, hashed afresh every time) cost more than the rest of its replacement. A
  // replacement never changes once made (the pseudonymizer remembers it), so neither does this.
  const literalTokens = new Map<Category, Map<string, string>>();
  const replaceKnown = (text: string, f: LiteralFinding): { original: string; text: string } => {
    let tokens: Map<string, string> | undefined;
    if (!f.ignoreCase || spells(text, f.start, f.spelling)) {
      tokens = literalTokens.get(f.category);
      if (tokens === undefined) {
        tokens = new Map();
        literalTokens.set(f.category, tokens);
      }
      const done = tokens.get(f.spelling);
      if (done !== undefined) return { original: f.spelling, text: done };
    }
    const original = text.slice(f.start, f.end);
    const replacement = f.replace(pseudonyms, original);
    tokens?.set(f.spelling, replacement);
    return { original, text: replacement };
  };

  const sensitiveValues = (): SensitiveValue[] =>
    known.values().filter((v) => !keep.has(v.category));

  const redactText = (text: string, file?: string): RedactedText => {
    const found = findingsOf(text, file);
    learn(found);
    const counts = emptyCounts();
    const replacements: Replacement[] = [];
    // A kept category steps aside before overlaps are resolved, so an address inside a kept
    // host name (`ip-10-1-2-3`) is still replaced.
    // `found` is this call's own (findingsOf hands a stored array over, and forgets it).
    const candidates = keep.size === 0 ? found : found.filter((f) => !keep.has(f.category));
    known.matcher().each(text, (start, end, category, spelling, ignoreCase) => {
      if (!keep.has(category))
        candidates.push(literalFinding(start, end, category, spelling, ignoreCase));
    });
    for (const f of resolveOverlaps(candidates, text.length)) {
      let replacement: string;
      if (LITERAL_REPLACERS.has(f.replace)) {
        // A known original is replaced even when it spells a token (a short name can).
        const r = replaceKnown(text, f as LiteralFinding);
        if (r.text === r.original) continue;
        replacement = r.text;
      } else {
        const original = text.slice(f.start, f.end);
        // A pattern's match that is our own token (a path or name built from one) is already
        // redacted.
        if (pseudonyms.isToken(original)) continue;
        replacement = f.replace(pseudonyms, original);
        if (replacement === original) continue;
      }
      counts[f.category] += 1;
      replacements.push({
        start: f.start,
        end: f.end,
        text: replacement,
        fixed: f.category === 'secret',
      });
    }
    return { text: applyReplacements(text, replacements), counts };
  };

  return {
    observe,
    redactText,
    redactBuffer: (buf, file) => {
      const r = redactText(buf.toString('latin1'), file);
      return { buffer: Buffer.from(r.text, 'latin1'), counts: r.counts };
    },
    redactFiles: (files) => {
      for (const f of files) observe(f.text, f.path);
      const counts = emptyCounts();
      const out = files.map((f) => {
        const r = redactText(f.text, f.path);
        for (const [c, n] of Object.entries(r.counts)) counts[c as Category] += n;
        return { path: f.path, text: r.text };
      });
      return { files: out, counts };
    },
    mapping: () =>
      pseudonyms
        .mapping()
        .sort((a, b) => byText(a.category, b.category) || byText(a.original, b.original)),
    sensitiveValues,
    leakScanner: () =>
      new LeakScanner(keep.size === 0 && known.isCanonical() ? known.matcher() : sensitiveValues()),
  };
}
