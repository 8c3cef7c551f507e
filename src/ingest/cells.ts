// Reading single cells the way the data contract says: ids trimmed and case sensitive, numbers
// with '.' as the decimal point, integers where it says integer, booleans true/false, and an
// empty cell meaning "not given". These work on the bytes of the CSV buffer, without making
// strings: they run for tens of millions of cells per import.

/** Largest value of a PostgreSQL integer column. */
export const MAX_INT4 = 2147483647;

/** Bounds of a cell after trimming, written by trimRange(). */
export interface Range {
  start: number;
  end: number;
}

function isAsciiSpace(c: number): boolean {
  // tab, LF, VT, FF, CR, space
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Trims whitespace off buf[start, end) into r, as String.prototype.trim would on its text: ASCII
 * whitespace in the loop, Unicode spaces (no-break space …) through the string when a non-ASCII
 * byte sits at an edge.
 */
export function trimRange(buf: Buffer, start: number, end: number, r: Range): void {
  let s = start;
  let e = end;
  while (s < e && isAsciiSpace(buf[s]!)) s++;
  while (e > s && isAsciiSpace(buf[e - 1]!)) e--;
  if (s < e && (buf[s]! >= 0x80 || buf[e - 1]! >= 0x80)) {
    const text = buf.toString("utf8", s, e);
    const lead = text.length - text.trimStart().length;
    const trail = text.length - text.trimEnd().length;
    if (lead > 0) s += Buffer.byteLength(text.slice(0, lead), "utf8");
    if (trail > 0 && s < e) e -= Buffer.byteLength(text.slice(text.length - trail), "utf8");
  }
  r.start = s;
  r.end = Math.max(s, e);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// 10^0 … 10^22 are exact doubles: m × 10^k and m / 10^k then round exactly once
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * A decimal number in buf[s, e) (already trimmed): optional sign, digits with an optional '.'
 * fraction (".5" and "5." too), optional exponent. NaN when it is anything else ("1,5", "abc",
 * "NaN", "Infinity", "0x10", "") or too large for a double. The value is the correctly rounded
 * double, as Number() and PostgreSQL's float8 input give for the same text.
 */
export function parseDecimal(buf: Buffer, s: number, e: number): number {
  let i = s;
  let negative = false;
  let c = i < e ? buf[i]! : 0;
  if (c === 43 || c === 45) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let significant = 0;
  let scale = 0;
  let digits = 0;
  for (; i < e && isDigit((c = buf[i]!)); i++, digits++) {
    if (significant > 0 || c !== 48) {
      mantissa = mantissa * 10 + (c - 48);
      significant++;
    }
  }
  if (i < e && buf[i] === 46) {
    for (i++; i < e && isDigit((c = buf[i]!)); i++, digits++) {
      if (significant > 0 || c !== 48) {
        mantissa = mantissa * 10 + (c - 48);
        significant++;
      }
      scale--;
    }
  }
  if (digits === 0) return NaN;
  let exponent = 0;
  if (i < e && (buf[i]! | 32) === 101) {
    i++;
    let expNegative = false;
    c = i < e ? buf[i]! : 0;
    if (c === 43 || c === 45) {
      expNegative = c === 45;
      i++;
    }
    const first = i;
    for (; i < e && isDigit((c = buf[i]!)); i++) {
      if (exponent < 100000) exponent = exponent * 10 + (c - 48);
    }
    if (i === first) return NaN;
    if (expNegative) exponent = -exponent;
  }
  if (i !== e) return NaN;
  const k = scale + exponent;
  if (significant <= 15 && k >= -22 && k <= 22) {
    // exact fast path (Clinger): at most one rounding
    const v = k < 0 ? mantissa / POW10[-k]! : mantissa * POW10[k]!;
    return negative ? -v : v;
  }
  const v = Number(buf.toString("latin1", s, e));
  // PostgreSQL rejects what overflows to infinity and what underflows to zero
  if (!Number.isFinite(v) || (v === 0 && significant > 0)) return NaN;
  return v;
}

/** A whole number in buf[s, e) written with digits only ('-' allowed for a clear message). */
export function parseInteger(buf: Buffer, s: number, e: number): number {
  let i = s;
  const negative = i < e && buf[i] === 45;
  if (negative) i++;
  if (i === e) return NaN;
  let v = 0;
  for (; i < e; i++) {
    const c = buf[i]!;
    if (!isDigit(c)) return NaN;
    v = v * 10 + (c - 48);
  }
  return negative ? -v : v;
}

/** true / false in any letter case; null when buf[s, e) is neither. */
export function parseBoolean(buf: Buffer, s: number, e: number): boolean | null {
  const n = e - s;
  if (n === 4 && matchesLower(buf, s, "true")) return true;
  if (n === 5 && matchesLower(buf, s, "false")) return false;
  return null;
}

function matchesLower(buf: Buffer, s: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    if ((buf[s + i]! | 32) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** a cell quoted for a message, shortened so that one bad cell cannot flood the report */
export function quoteCell(s: string): string {
  return JSON.stringify(s.length > 40 ? s.slice(0, 40) + "…" : s);
}

export function notANumber(s: string): string {
  if (/^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(s))
    return `out of the range of a double precision number: ${quoteCell(s)}`;
  const hint = s.includes(",") ? " (use '.' as the decimal point)" : "";
  return `not a number: ${quoteCell(s)}${hint}`;
}
