/**
 * CSV files for spreadsheets (teacher exports): UTF-8 with a byte-order mark, so Excel reads the
 * encoding right, and cells that a spreadsheet would run as a formula neutralised.
 */
import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | boolean | null | undefined;

/** Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text a spreadsheet shows as written: a leading formula character is escaped with a quote. */
export function neutralise(cell: CsvCell): string | number | boolean | null | undefined {
  if (typeof cell !== 'string') return cell;
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** One CSV document (CRLF line ends, as RFC 4180 has them) with a header row, as UTF-8 bytes with a BOM. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): Buffer {
  const text = stringify([header.map(neutralise), ...rows.map((row) => row.map(neutralise))], {
    bom: true,
    record_delimiter: 'windows',
  });
  return Buffer.from(text, 'utf8');
}
