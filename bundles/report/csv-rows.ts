// The CSV files of a bundle (series.csv, intervals.csv, kfree_skb.csv), read
// back: RFC 4180, as kit/csv.ts writes them (a field with a comma, a quote
// or a line break is quoted). Hostile input costs linear time, and rows past
// `maxRows` are dropped (the caller says so). Pure.
//
// Records are found in the bytes (`\n`, `,` and `"` are single bytes in
// UTF-8) and each is decoded alone. Searching one large decoded string
// instead went wrong in V8: once the loop was optimised, each search could
// cost the whole string, and a 5-minute run's series.csv (15 MB) took
// minutes instead of a tenth of a second.

export interface CsvTable {
  // The header's column names, in order.
  columns: string[];
  rows: string[][];
  truncated: boolean;
}

export const MAX_ROWS = 2_000_000;

const NL = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

// The end of a record that holds a quote: its first line break outside
// quotes (a doubled quote toggles twice), or the end of the file.
function quotedEnd(b: Buffer, from: number): number {
  let inside = false;
  for (let j = from; j < b.length; j++) {
    const c = b[j];
    if (c === QUOTE) inside = !inside;
    else if (c === NL && !inside) return j;
  }
  return b.length;
}

// One record with quotes: quoted fields may hold commas, doubled quotes and
// line breaks; an unclosed quote runs to the end of the record.
function quotedFields(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let f = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          f += text.slice(i);
          i = text.length;
          break;
        }
        f += text.slice(i, q);
        i = q + 1;
        if (text[i] !== '"') break;
        f += '"';
        i++;
      }
    }
    // Unquoted text, or what follows a closing quote, up to the separator.
    let j = i;
    while (j < text.length && text[j] !== ',' && text[j] !== '\r') j++;
    f += text.slice(i, j);
    fields.push(f);
    if (text[j] !== ',') return fields;
    i = j + 1;
  }
}

// Each record in turn, the header first; a 5-minute run's series.csv has
// hundreds of thousands, never all held at once. Returns whether records
// past `maxRows` were left out.
export function eachCsvRecord(
  bytes: Buffer,
  maxRows: number,
  visit: (fields: string[]) => void,
): boolean {
  let seen = 0;
  let i = 0;
  // The next quote, looked for again only once passed.
  let q = bytes.indexOf(QUOTE);
  while (i < bytes.length) {
    let end = bytes.indexOf(NL, i);
    if (end === -1) end = bytes.length;
    if (q !== -1 && q < i) q = bytes.indexOf(QUOTE, i);
    let fields: string[] | undefined;
    if (q !== -1 && q < end) {
      end = quotedEnd(bytes, i);
      fields = quotedFields(bytes.toString('utf8', i, end));
    } else {
      const stop = end > i && bytes[end - 1] === CR ? end - 1 : end;
      if (stop > i) fields = bytes.toString('utf8', i, stop).split(',');
    }
    i = end + 1;
    if (!fields) continue;
    if (seen++ >= maxRows) return true;
    visit(fields);
  }
  return false;
}

export function readCsv(text: string | Buffer, maxRows = MAX_ROWS): CsvTable {
  const rows: string[][] = [];
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const truncated = eachCsvRecord(bytes, maxRows + 1, (r) => rows.push(r));
  const [head, ...body] = rows;
  return { columns: head ?? [], rows: body, truncated };
}

// A column's index by name, or -1: files written before a column existed
// still read.
export function columnOf(t: CsvTable, name: string): number {
  return t.columns.indexOf(name);
}
