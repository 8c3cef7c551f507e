// The header row: which known column sits at which position (column order is free), and which
// columns are extra (kept as attributes under their header name).
import type { ProblemLog } from "./errors";

export interface ColumnSpec {
  readonly name: string;
  readonly required: boolean;
}

export interface ExtraColumn {
  readonly name: string;
  readonly index: number;
}

export interface HeaderLayout {
  /** number of fields every row must have */
  readonly width: number;
  /** extra columns in file order */
  readonly extras: readonly ExtraColumn[];
  /** field index of a known column, -1 when the file does not have it */
  indexOf(name: string): number;
}

/**
 * Maps the header fields onto the known columns. Known column names match after trimming and
 * ignoring letter case (spreadsheets like to capitalise); extra columns keep their trimmed name.
 * Returns null, after logging why, when the rows cannot be read with this header.
 */
export function readHeader(
  fields: readonly string[],
  columns: readonly ColumnSpec[],
  file: string,
  line: number,
  problems: ProblemLog,
): HeaderLayout | null {
  const known = new Map(columns.map((c) => [c.name, c]));
  const positions = new Map<string, number>();
  const extras: ExtraColumn[] = [];
  const seen = new Map<string, number>();
  let ok = true;
  fields.forEach((raw, index) => {
    const name = raw.trim();
    if (name.length === 0) {
      problems.add(file, line, `#${index + 1}`, `column ${index + 1} has no name`);
      ok = false;
      return;
    }
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problems.add(
        file,
        line,
        name,
        `column appears twice (columns ${first + 1} and ${index + 1})`,
      );
      ok = false;
      return;
    }
    seen.set(key, index);
    if (known.has(key)) positions.set(key, index);
    else extras.push({ name, index });
  });
  for (const c of columns) {
    if (c.required && !positions.has(c.name)) {
      problems.add(file, line, c.name, "required column missing");
      ok = false;
    }
  }
  if (!ok) return null;
  return {
    width: fields.length,
    extras,
    indexOf: (name: string) => positions.get(name) ?? -1,
  };
}
