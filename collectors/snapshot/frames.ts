// The snapshot script frames every section with an unguessable boundary, on stdout:
//
//   <B> begin <id> <iface|-> <start-ns>\n
//   ...stdout bytes, exactly as the host printed them...
//   \n<B> end <id> <iface|-> rc=<n> ns=<end-ns>\n
//
// and on the stderr stream, the section's stderr (parseStderrFrames):
//
//   <B> begin <id> <iface|->\n...stderr...\n<B> end <id> <iface|->\n
//
// Parsing stdout works on bytes so raw output is kept byte-exact, whatever it holds.
//
// The host runs the script and can read the boundary, so every header may be
// forged: a section whose interface name breaks the kernel's rules is dropped
// here, with a warning, and never reaches a path.

import { isValidIfaceName } from '../iface-name.js';
import { sectionName } from './accept.js';

export interface Section {
  id: string;
  iface?: string;
  stdout: Buffer;
  // From the stderr stream (parseStderrFrames): parseFrames leaves it empty.
  stderr: string;
  exitCode: number | null;
  startNs?: bigint;
  endNs?: bigint;
  durationMs?: number;
  // The section began but its end marker never came (host killed the script).
  truncated: boolean;
}

export function parseFrames(
  out: Buffer,
  boundary: string,
): { sections: Section[]; warnings: string[] } {
  const sections: Section[] = [];
  const warnings: string[] = [];
  const begin = Buffer.from(`${boundary} begin `);
  let pos = out.indexOf(begin);
  if (pos < 0 && out.length) warnings.push('no section markers in the snapshot output');
  while (pos >= 0) {
    const headerEnd = out.indexOf(0x0a, pos);
    if (headerEnd < 0) break;
    const [, , id = '?', iface = '-', start] = out
      .subarray(pos, headerEnd)
      .toString('utf8')
      .split(' ');
    const bodyStart = headerEnd + 1;
    const endMarker = Buffer.from(`\n${boundary} end ${id} ${iface} `);
    const endPos = out.indexOf(endMarker, bodyStart - 1);
    const s: Section = {
      id,
      stdout: Buffer.alloc(0),
      stderr: '',
      exitCode: null,
      truncated: true,
      ...(iface !== '-' ? { iface } : {}),
    };
    const startNs = toNs(start);
    if (startNs !== undefined) s.startNs = startNs;
    const name = sectionName(id, iface !== '-' ? iface : undefined);
    const forged = iface !== '-' && !isValidIfaceName(iface);
    if (forged) warnings.push(`${name} dropped: not a valid interface name`);
    if (endPos < 0) {
      // Keep what arrived: partial is better than nothing.
      s.stdout = out.subarray(bodyStart);
      warnings.push(`${name} has no end marker: output truncated`);
      if (!forged) sections.push(s);
      break;
    }
    s.stdout = out.subarray(bodyStart, Math.max(bodyStart, endPos));
    const endLineEnd = out.indexOf(0x0a, endPos + 1);
    const endLine = out
      .subarray(endPos + 1, endLineEnd < 0 ? out.length : endLineEnd)
      .toString('utf8');
    const rc = endLine.match(/ rc=(\d+)/);
    s.exitCode = rc ? Number(rc[1]) : null;
    const endNs = toNs(endLine.match(/ ns=(\d+)/)?.[1]);
    if (endNs !== undefined) s.endNs = endNs;
    if (s.startNs !== undefined && s.endNs !== undefined)
      s.durationMs = Number(s.endNs - s.startNs) / 1e6;
    s.truncated = false;
    if (!forged) sections.push(s);
    pos = out.indexOf(begin, endLineEnd < 0 ? out.length : endLineEnd + 1);
  }
  return { sections, warnings };
}

function toNs(text: string | undefined): bigint | undefined {
  // busybox `date` prints a literal `N` for %N: no sub-second timing then.
  return text && /^\d+$/.test(text) && text.length > 12 ? BigInt(text) : undefined;
}

// The stderr stream of the same script: `<B> begin <id> <iface>` … `<B> end
// <id> <iface>` around each section's stderr. Returns id/iface → text. The
// last frame may lack its final newline (a stream cut short, or trimmed).
export function parseStderrFrames(stderr: string, boundary: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = new RegExp(
    `${boundary} begin (\\S+) (\\S+)\\n([\\s\\S]*?)\\n${boundary} end \\1 \\2(?:\\n|$)`,
    'g',
  );
  for (const m of stderr.matchAll(re)) {
    const text = m[3]!.trim();
    if (text) out.set(stderrKey(m[1]!, m[2] === '-' ? undefined : m[2]), text);
  }
  return out;
}

export function stderrKey(id: string, iface?: string): string {
  return iface ? `${id}\u0000${iface}` : id;
}
