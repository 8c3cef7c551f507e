// What one request may spend while it runs: rows read and wall-clock time. The query cost
// (query-cost.ts) is an estimate made before execution from page sizes; this budget is the
// guarantee, because an estimate has to assume a length for lists that take no `first`.
export type LimitCode =
  "COST_LIMIT_EXCEEDED" | "ROW_LIMIT_EXCEEDED" | "REQUEST_TIMEOUT" | "RATE_LIMITED";

/** A request refused for going over a configured limit; errors.ts gives it its code. */
export class LimitExceededError extends Error {
  override name = "LimitExceededError";
  constructor(
    readonly code: LimitCode,
    message: string,
    /** the configured limit and the figure the request reached */
    readonly limit: number,
    readonly found: number | undefined,
    /** seconds after which trying again can succeed (rate limit, timeout) */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

export class RequestBudget {
  private rows = 0;
  private readonly deadline: number;
  /** false once the operation is known to be a mutation: those are not cut off (see app.ts) */
  timeCapped = true;
  private expired = false;

  constructor(
    readonly maxRows: number,
    readonly timeoutMs: number,
    started = performance.now(),
  ) {
    this.deadline = started + timeoutMs;
  }

  /**
   * Books `n` rows before they are read, so sibling resolvers running concurrently cannot all
   * pass a check on what was read so far and then each read a full page.
   */
  reserveRows(n: number, field: string): void {
    this.checkDeadline();
    this.rows += n;
    if (this.rows > this.maxRows) throw this.rowError(` (reached at ${field})`);
  }

  /** Books rows already read (lists without `first`); the next field to start checks them. */
  addRows(n: number): void {
    this.rows += n;
  }

  /** Every field calls this before it resolves. */
  check(): void {
    this.checkDeadline();
    if (this.rows > this.maxRows) throw this.rowError("");
  }

  private rowError(where: string): LimitExceededError {
    return new LimitExceededError(
      "ROW_LIMIT_EXCEEDED",
      `this request would read ${fmt(this.rows)} rows, over the limit of ${fmt(this.maxRows)} ` +
        `per request${where}; ask for smaller pages (first) or fewer of them, and follow ` +
        `pageInfo.endCursor for the rest`,
      this.maxRows,
      this.rows,
    );
  }

  /** Marks the request as over its time, whatever the clock says (the HTTP cut-off fired). */
  expire(): void {
    this.expired = true;
  }

  checkDeadline(): void {
    if (!this.timeCapped) return;
    if (this.expired || performance.now() > this.deadline) throw this.timeoutError();
  }

  timeoutError(): LimitExceededError {
    return new LimitExceededError(
      "REQUEST_TIMEOUT",
      `this query ran past the limit of ${fmt(this.timeoutMs)} ms per request; ask for smaller ` +
        `pages or fewer fields, or try again when the server is less busy`,
      this.timeoutMs,
      Math.round(performance.now() - (this.deadline - this.timeoutMs)),
      1,
    );
  }
}
