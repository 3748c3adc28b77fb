// Milliseconds since the epoch as ISO-8601 UTC, to the millisecond, for the
// time columns of a bundle's CSV files. The fraction of a millisecond is
// dropped, not rounded, so the ISO time never runs ahead of its t_ms. Empty
// for a time no Date can hold: a host's clock is its own to print. Pure.
export function isoTime(ms: number): string {
  const d = new Date(Math.floor(ms));
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
