// Text cells of the CSV files we write. Spreadsheets (Excel, LibreOffice, Google Sheets) run a
// cell that starts with = + - @ as a formula, and some strip a leading tab or carriage return
// first; ids and names come from customers' files, so one of them could run a command or leak
// data when a user opens an export. A leading single quote makes such a cell text (the OWASP
// recommendation). Numbers we format ourselves are never touched: a negative return is a number.
// Machine consumers that want the bytes as stored ask for raw output (`--raw-csv`).

/** Leading characters that make a spreadsheet read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text value a spreadsheet keeps as text. */
export function neutraliseText(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** One RFC 4180 field: quoted when it holds a quote, comma or line break. */
export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The same neutralisation as an SQL expression over a text column, for `COPY … (FORMAT csv)`,
 * which quotes by itself. `column` is an identifier we write, never user input.
 */
export function neutraliseTextSql(column: string): string {
  return `CASE WHEN left(${column}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r')
               THEN '''' || ${column} ELSE ${column} END`;
}
