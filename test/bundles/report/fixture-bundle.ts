import { fileURLToPath } from 'node:url';
import { readTarGz } from '../../../bundles/archive.js';
import type { ChartSpec } from '../../../bundles/report/chart-spec.js';
import { unwrap } from '../../../bundles/verify.js';

// The real lab bundle of test/fixtures/bundles/ (a `repro compare` of the
// demo), read as the report reads a bundle: its files by path.
export const LAB_BUNDLE = fileURLToPath(
  new URL('../../fixtures/bundles/20261207T103655Z-compare-2-hosts.tar.gz', import.meta.url),
);

export async function bundleFiles(file: string): Promise<Map<string, Buffer>> {
  return unwrap((await readTarGz(file)).entries).files;
}

// One run of the comparison as a repro bundle would hold it: runs/<run>/…
// moved to the top.
export function runAsRepro(files: ReadonlyMap<string, Buffer>, run: string): Map<string, Buffer> {
  const prefix = `runs/${run}/`;
  return new Map(
    [...files].flatMap(([p, b]) => (p.startsWith(prefix) ? [[p.slice(prefix.length), b]] : [])),
  );
}

// The chart data the page embeds, parsed back.
export function embeddedCharts(html: string): ChartSpec[] {
  const m = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
  if (!m) throw new Error('no report-data element');
  return (JSON.parse(m[1]!) as { charts: ChartSpec[] }).charts;
}

export function jsonOf<T>(files: ReadonlyMap<string, Buffer>, path: string): T {
  return JSON.parse(files.get(path)!.toString('utf8')) as T;
}

// What the tests read of a summary.json.
export interface SummaryDoc {
  findings: Array<{ class: string; host: string; fix: string[]; persistent: string[] }>;
  hosts: Array<{ host: string }>;
  repro?: {
    sender: string;
    receiver: string;
    phases: Array<{ directions: Array<{ medianBitsPerSecond: number }> }>;
    moved: Array<{ host: string; key: string; delta: number; peakRatePerSec: number }>;
  };
}
