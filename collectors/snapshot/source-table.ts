import { shellQuote } from '../../kit/shell-quote.js';
import type { RawFile, SourceRecord } from '../model.js';
import type { ParseResult } from '../parse-result.js';
import { type CollectorSpec, renderSource, timeoutOf } from '../spec.js';
import { type Section, stderrKey } from './frames.js';
import { failureReason } from './source-status.js';
import { TAKEN_ONCE_SOURCE } from './taken-once.js';

// The sections a snapshot kept (accept.ts), each as a source record, its raw
// file and its text for the parsers. Pure.

function sourceText(spec: CollectorSpec, iface?: string): string {
  return renderSource(spec, (a) => shellQuote(iface ? a.replaceAll('{iface}', iface) : a));
}

interface Kept {
  section: Section;
  record: SourceRecord;
  raw: RawFile;
}

export class SourceTable {
  private readonly specById: Map<string, CollectorSpec>;
  // Keyed as the stderr frames are (stderrKey): the id, and the interface if any.
  private readonly text = new Map<string, string>();
  private readonly failed = new Set<string>();
  private readonly kept: Kept[] = [];

  constructor(
    specs: readonly CollectorSpec[],
    private readonly warnings: string[],
  ) {
    this.specById = new Map(specs.map((s) => [s.id, s]));
  }

  // The section's spec is known and its interface was checked (accept.ts).
  add(s: Section): void {
    const record = this.recordOf(s);
    if (!record) return;
    this.kept.push({ section: s, record, raw: { path: record.rawPath, bytes: s.stdout, record } });
    this.text.set(stderrKey(s.id, s.iface), s.stdout.toString('utf8'));
    if (!record.ok) this.failed.add(stderrKey(s.id, s.iface));
  }

  // A section an earlier snapshot took (taken-once.ts): parsed as this
  // snapshot's own, but not a source it ran. Its raw file is a copy, whose
  // record says so (the manifest shows it as the file's source).
  carry(s: Section): RawFile | undefined {
    const record = this.recordOf(s);
    if (!record?.ok) return undefined;
    this.text.set(stderrKey(s.id, s.iface), s.stdout.toString('utf8'));
    const { durationMs: _, ...rest } = record;
    const copy = { ...rest, source: `${TAKEN_ONCE_SOURCE}: ${record.source}` };
    return { path: record.rawPath, bytes: s.stdout, record: copy };
  }

  private recordOf(s: Section): SourceRecord | undefined {
    const spec = this.specById.get(s.id);
    if (!spec) return undefined;
    const reason = failureReason(s, timeoutOf(spec), spec.explain);
    return {
      id: s.id,
      ...(s.iface ? { iface: s.iface } : {}),
      rawPath: s.iface ? spec.rawPath.replaceAll('{iface}', s.iface) : spec.rawPath,
      source: sourceText(spec, s.iface),
      exitCode: s.exitCode,
      ...(s.durationMs !== undefined ? { durationMs: Math.round(s.durationMs * 100) / 100 } : {}),
      ...(s.stderr ? { stderr: s.stderr.slice(0, 500) } : {}),
      ok: reason === undefined,
      ...(reason ? { reason } : {}),
      bytes: s.stdout.length,
    };
  }

  parsed<T>(id: string, parse: (t: string) => ParseResult<T>, iface?: string): T | undefined {
    const key = stderrKey(id, iface);
    const t = this.text.get(key);
    // A failed source with no output has nothing to parse (ethtool -g on veth).
    if (t === undefined || (t === '' && this.failed.has(key))) return undefined;
    const r = parse(t);
    for (const w of r.warnings.slice(0, 5))
      this.warnings.push(`${id}${iface ? ` ${iface}` : ''}: ${w}`);
    return r.value;
  }

  // Sources and raw files in registry order (accept.ts ranks them).
  ordered(rank: Map<Section, number>): { sources: SourceRecord[]; raw: RawFile[] } {
    const kept = [...this.kept].sort(
      (a, b) => (rank.get(a.section) ?? 0) - (rank.get(b.section) ?? 0),
    );
    return { sources: kept.map((k) => k.record), raw: kept.map((k) => k.raw) };
  }
}
