import { parseJson } from './json-read.js';

// A bundle's files as the report reads them: paths relative to the bundle's
// top directory (`summary.json`, `runs/01-baseline/repro/series.csv`), the
// bytes as packed (redacted). The writer hands its entries over; `collect
// report` reads them from a tarball or a directory.
export type BundleFiles = ReadonlyMap<string, Buffer>;

export function jsonAt(files: BundleFiles, path: string): unknown {
  return parseJson(files.get(path));
}

// The files the report reads, for a reader that should not load the rest
// (raw outputs, snapshots): the summaries, compare.json, the manifest, and
// each run's time series, phases, iperf3 intervals and drop trace.
export function isReportInput(path: string): boolean {
  return /^(?:runs\/[^/]+\/)?(?:summary\.json|compare\.json|manifest\.json|repro\/(?:series\.csv|series-meta\.json|phases\.json|iperf3\/intervals\.csv|trace\/[^/]+-kfree_skb\.csv))$/.test(
    path,
  );
}
