// CSV as RFC 4180 has it: a field with a comma, a double quote or a line
// break is quoted, its quotes doubled. Interface names (in series keys) and
// drop locations come from hosts and may hold any of them. Pure.

export function csvField(v: string | number | bigint): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(fields: ReadonlyArray<string | number | bigint>): string {
  return fields.map(csvField).join(',');
}
