// One CSV file (not a dataset directory) into a temporary staging table: the reader feeds the
// file kind's row validator, whose COPY text streams to the server while the file is read. Used by
// the single-file imports (responses, contact history).
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { CopyOut } from "./copy-out";
import { readCsvFile } from "./csv-reader";
import type { ProblemLog } from "./errors";
import { FileRows } from "./rows/file-rows";
import type { FileKind } from "./rows/row-encoder";

/** Streams `file` through `kind` into the table of `copySql`; returns its data rows. */
export async function stageOneFile(
  client: PoolClient,
  file: string,
  name: string,
  kind: FileKind,
  copySql: string,
  problems: ProblemLog,
): Promise<number> {
  const out = new CopyOut();
  const copy = client.query(copyFrom(copySql));
  let failure: Error | null = null;
  copy.on("error", (e: Error) => (failure ??= e));
  const send = async (final: boolean) => {
    if (failure) throw failure;
    for (const chunk of out.take(final)) copy.write(chunk);
    if (copy.writableLength > 8 << 20) await once(copy, "drain");
  };
  const rows = new FileRows(name, kind, problems, out, { catalog: null }, () => send(false));
  try {
    await readCsvFile(file, rows);
    rows.finish();
    await send(true);
    copy.end();
    await finished(copy);
  } catch (e) {
    copy.destroy(new Error("import aborted"));
    throw e;
  }
  if (failure) throw failure;
  return rows.rows;
}
