// `18,234`: digits grouped by three, as toLocaleString('en-US') prints them,
// without loading ICU, whose first use costs about 12 ms of a CLI run.
export function thousands(v: bigint | number): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const [int = '', frac] =
    typeof v === 'number' && !Number.isInteger(v)
      ? String(Math.round(v * 1000) / 1000).split('.')
      : [String(v)];
  const neg = int.startsWith('-');
  const digits = (neg ? int.slice(1) : int).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${digits}${frac ? `.${frac}` : ''}`;
}
