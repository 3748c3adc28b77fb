import { packageVersion } from '../../kit/version.js';
import { sha256 } from '../entries.js';
import type { RedactedFiles } from '../redact-entries.js';
import { chartLibrary } from './chart-library.js';
import { REPORT_PATH, reportHtml } from './report-html.js';

// The writer's hook: report.html made from the files as they will be
// packed (redacted), then listed like them, with its sha256, so `collect
// verify` and the leak scan cover it as any other file. It is not passed
// through the redactor again: it holds nothing the redacted files do not
// (it reads only the summaries, compare.json and the repro/ series).
export async function addReport(into: RedactedFiles): Promise<void> {
  const files = new Map(into.entries.map((e) => [e.path, e.bytes]));
  const bytes = Buffer.from(
    reportHtml(files, await chartLibrary(), { version: packageVersion() }).html,
    'utf8',
  );
  into.entries.push({ path: REPORT_PATH, bytes });
  into.files.push({ path: REPORT_PATH, sha256: sha256(bytes), bytes: bytes.length });
}
