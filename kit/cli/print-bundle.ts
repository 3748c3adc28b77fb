import type { WrittenBundle } from '../../bundles/write-bundle.js';
import { thousands } from '../thousands.js';
import { printJson } from './common.js';

// What a user needs to attach the bundle: where, how big, its sha256.
export function printWritten(
  w: WrittenBundle,
  json: boolean,
  extra: Record<string, unknown> = {},
): void {
  if (json) {
    printJson({
      ok: true,
      file: w.file,
      bytes: w.bytes,
      sha256: w.sha256,
      mapFile: w.mapFile ?? null,
      status: w.manifest.status,
      hosts: w.manifest.hosts,
      ...extra,
    });
    return;
  }
  process.stdout.write(
    `bundle: ${w.file}\nsize:   ${thousands(w.bytes)} bytes\nsha256: ${w.sha256}\n`,
  );
  if (w.mapFile)
    process.stdout.write(
      `map:    ${w.mapFile} (original ↔ pseudonym; keep it, do not attach it)\n`,
    );
  if (w.manifest.status === 'partial') {
    for (const h of w.manifest.hosts.filter((x) => x.status !== 'complete'))
      process.stdout.write(`PARTIAL: ${h.host} ${h.status}${h.error ? `: ${h.error}` : ''}\n`);
  }
}
