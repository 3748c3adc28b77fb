// Writes the replacements into the text, keeping the columns of fixed-width tables where they
// were. Most tokens take their original's length; an IPv4 token cannot (a prefix-preserving token
// has the digits it has), nor can a few others. The difference is taken from, or given to, the
// padding next to the value, as the tool would have padded the token:
// - a value followed by two or more spaces is a left-aligned cell (`/proc/net/arp`, `netstat -rn`,
//   `arp -a`): the spaces after it change, so the next column starts where it did;
// - otherwise, a value preceded by two or more spaces (maybe then `[`) is a right-aligned cell
//   (`ss`, whose `address:port` is aligned on its end): the spaces before it change.
// At least one space always stays, so a token wider than the padding allows shifts the rest of the
// line, and free text (one space between words) is never touched. Only spaces between two cells
// of one line count: indentation at the start of a line, trailing blanks and tabs are left alone.
// A replacement marked `fixed` keeps its width difference: a secret's marker must not have its
// original's length recoverable from the padding.

export interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly fixed: boolean;
}

const SPACE = 32;

function spacesFrom(text: string, i: number, limit: number): number {
  let j = i;
  while (j < limit && text.charCodeAt(j) === SPACE) j += 1;
  return j - i;
}

function spacesBefore(text: string, i: number, floor: number): number {
  let j = i;
  while (j > floor && text.charCodeAt(j - 1) === SPACE) j -= 1;
  return i - j;
}

function isCellChar(c: number): boolean {
  return !Number.isNaN(c) && c !== SPACE && c !== 9 && c !== 10 && c !== 13;
}

// A gap of `length` spaces, resized by `delta` (positive: the token is wider), never below one.
function resized(length: number, delta: number): string {
  return ' '.repeat(Math.max(1, length - delta));
}

// `reps` are sorted and do not overlap.
export function applyReplacements(text: string, reps: readonly Replacement[]): string {
  let out = '';
  let pos = 0;
  let owed = 0; // what the previous replacement left to the gap right after it
  for (const r of reps) {
    let from = pos;
    if (owed !== 0) {
      const gap = spacesFrom(text, pos, r.start);
      if (gap >= 2) {
        out += resized(gap, owed);
        from = pos + gap;
      }
      owed = 0;
    }
    const delta = r.fixed ? 0 : r.text.length - (r.end - r.start);
    let segment = text.slice(from, r.start);
    if (delta !== 0) {
      const after = spacesFrom(text, r.end, text.length);
      if (after >= 2 && isCellChar(text.charCodeAt(r.end + after))) owed = delta;
      else {
        // The gap before, within what is left of the text since the previous replacement.
        const gapEnd = text.charCodeAt(r.start - 1) === 91 ? r.start - 1 : r.start; // `[`
        const gap = spacesBefore(text, gapEnd, from);
        const gapStart = gapEnd - gap;
        if (gap >= 2 && isCellChar(text.charCodeAt(gapStart - 1)))
          segment = text.slice(from, gapStart) + resized(gap, delta) + text.slice(gapEnd, r.start);
      }
    }
    out += segment + r.text;
    pos = r.end;
  }
  if (owed !== 0) {
    const gap = spacesFrom(text, pos, text.length);
    if (gap >= 2) return out + resized(gap, owed) + text.slice(pos + gap);
  }
  return out + text.slice(pos);
}
