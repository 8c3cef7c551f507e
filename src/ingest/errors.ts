// What a rejected import reports: every problem names file, physical line and column, so that a
// user can fix the file without guessing. Only the first problems are kept; the rest are counted.

export interface ImportProblem {
  /** file name as in the directory, e.g. "scores.csv" (the directory itself for a missing one) */
  file: string;
  /** physical line in the file, 1 = header row; 0 = the file as a whole */
  line: number;
  /** column name from the header; null when the problem is the whole row or file */
  column: string | null;
  message: string;
}

export const MAX_REPORTED_PROBLEMS = 100;

/** Thrown when an import is rejected; nothing of that import was written. */
export class ImportError extends Error {
  constructor(
    /** the first problems found (at most MAX_REPORTED_PROBLEMS) */
    readonly problems: ImportProblem[],
    /** how many problems there were in all */
    readonly total: number,
  ) {
    super(summarise(problems, total));
    this.name = "ImportError";
  }
}

function summarise(problems: ImportProblem[], total: number): string {
  const first = problems
    .slice(0, 3)
    .map((p) => `${p.file}:${p.line}${p.column ? ` [${p.column}]` : ""}: ${p.message}`);
  const more = total > first.length ? ` (and ${total - first.length} more)` : "";
  return `import rejected, ${total} problem(s): ${first.join("; ")}${more}`;
}

/** Keeps the first problems in the order they were found and counts all of them. */
export class ProblemLog {
  readonly problems: ImportProblem[] = [];
  total = 0;

  constructor(readonly limit = MAX_REPORTED_PROBLEMS) {}

  add(file: string, line: number, column: string | null, message: string): void {
    this.total++;
    if (this.problems.length < this.limit) this.problems.push({ file, line, column, message });
  }

  /** how many more problems would still be kept (SQL checks fetch no more rows than that) */
  get room(): number {
    return this.limit - this.problems.length;
  }

  /** counts problems that a set-based check found beyond the rows it fetched */
  addUnlisted(count: number): void {
    this.total += count;
  }

  get empty(): boolean {
    return this.total === 0;
  }

  toError(): ImportError {
    return new ImportError([...this.problems], this.total);
  }
}
