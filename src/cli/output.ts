// Terminal output: progress lines only on a TTY (quiet in CI and pipes), tables and JSON.

export interface Output {
  /** human text on stdout (suppressed with --json) */
  info(line: string): void;
  /** transient progress on stderr, rewritten in place; nothing when stderr is not a TTY */
  progress(line: string): void;
  /** a progress line that marks a step (a new phase, the next point): never skipped as too soon */
  step(line: string): void;
  /** machine-readable result on stdout */
  json(value: unknown): void;
  done(): void;
}

// A terminal redrawn more often than this only flickers; percentages within a phase can wait.
const PROGRESS_INTERVAL_MS = 100;

export function createOutput(opts: { json?: boolean } = {}): Output {
  const tty = process.stderr.isTTY === true;
  let lastProgress = 0;
  let shown = false;
  const clear = () => {
    if (shown) process.stderr.write("\r\x1b[K");
    shown = false;
  };
  const show = (line: string) => {
    if (!tty || opts.json) return;
    lastProgress = Date.now();
    process.stderr.write("\r\x1b[K" + line);
    shown = true;
  };
  return {
    info(line) {
      if (opts.json) return;
      clear();
      process.stdout.write(line + "\n");
    },
    progress(line) {
      if (Date.now() - lastProgress < PROGRESS_INTERVAL_MS) return;
      show(line);
    },
    step: show,
    json(value) {
      process.stdout.write(JSON.stringify(value, jsonReplacer, 2) + "\n");
    },
    done() {
      clear();
    },
  };
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? Number(value) : value;
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const numeric = headers.map((_, i) => rows.every((r) => typeof r[i] === "number"));
  const fmt = (r: string[]) =>
    r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  return [fmt(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(fmt)]
    .join("\n")
    .trimEnd();
}

export const money = (v: number) =>
  "$" + v.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 0 });
export const count = (v: number) => v.toLocaleString("en-US");
export const pct = (v: number) => (v * 100).toFixed(1) + "%";
