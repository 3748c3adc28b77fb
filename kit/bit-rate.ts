// The one way dropkit writes a bit rate, with SI prefixes (1000-based, as
// iperf3's -b takes them): "9.42 Gbit/s".
//
// Two precisions, one unit table: `fixed` keeps three significant digits
// (9.42, 25.0, 940.1), so a column of measured rates lines up in summary.md
// and on the status line; `short` drops trailing zeros, so a message quotes a
// rate the way it was typed (--max-rate 25G: "25 Gbit/s").
const UNITS = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s'];

export function formatBitRate(
  bps: number | undefined,
  precision: 'fixed' | 'short' = 'fixed',
): string {
  if (bps === undefined || !Number.isFinite(bps)) return '-';
  let v = bps;
  let i = 0;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  const digits = precision === 'short' ? String(Number(v.toFixed(2))) : v.toFixed(v < 10 ? 2 : 1);
  return `${digits} ${UNITS[i]}`;
}
