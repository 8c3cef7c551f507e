// Opens the database for one CLI command and always closes it, also on Ctrl-C, so that an
// embedded server is stopped cleanly and reused next time.
import type * as DatabaseService from "../services/database";
import type { Database } from "../services/database";
import { createOutput, type Output } from "./output";

// Required when a command opens the database, not when the CLI starts: `--help` and `--version`
// should not pay for loading pg and the embedded-server code (src/cli/main.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const database = (): typeof DatabaseService => require("../services/database");

export async function withDatabase<T>(
  out: Output,
  fn: (db: Database) => Promise<T>,
  opts: { migrate?: boolean } = {},
): Promise<T> {
  const db = await database().openDatabase({
    migrate: opts.migrate,
    log: (m) => out.progress(m),
  });
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= db.close());
  const onSignal = (sig: NodeJS.Signals) => {
    out.done();
    process.stderr.write(`\n${sig}: stopping\n`);
    void close().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await fn(db);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await close();
  }
}

/**
 * What most commands do: open the database, read or do one thing, and show it, as JSON with
 * --json and as `print` writes it otherwise.
 */
export async function showWithDatabase<T>(
  o: { json?: boolean },
  read: (db: Database, out: Output) => Promise<T>,
  print: (out: Output, value: T) => void,
): Promise<void> {
  const out = createOutput(o);
  await withDatabase(out, async (db) => {
    const value = await read(db, out);
    if (o.json) out.json(value);
    else print(out, value);
  });
}
