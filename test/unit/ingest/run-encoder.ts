// Runs CSV text through the import's reader, header routing and row validators, without a
// database, and decodes the COPY text they produce back into values.
import { ByteIdMap, type CatalogIds } from "../../../src/ingest/catalog-ids";
import { CopyOut } from "../../../src/ingest/copy-out";
import { CsvRecordReader } from "../../../src/ingest/csv-reader";
import { ProblemLog, type ImportProblem } from "../../../src/ingest/errors";
import { FileRows } from "../../../src/ingest/rows/file-rows";
import type { FileKind } from "../../../src/ingest/rows/row-encoder";

export type CopyRow = (string | null)[];

const UNESCAPE: Record<string, string> = { "\\": "\\", t: "\t", n: "\n", r: "\r" };

/** COPY text format back into rows of values (null for \N). */
export function decodeCopy(text: string): CopyRow[] {
  if (text.length === 0) return [];
  if (!text.endsWith("\n")) throw new Error("COPY text must end with a line feed");
  return text
    .slice(0, -1)
    .split("\n")
    .map((line) =>
      line
        .split("\t")
        .map((v) => (v === "\\N" ? null : v.replace(/\\(.)/g, (_, c: string) => UNESCAPE[c] ?? c))),
    );
}

export function catalog(offers: string[], channels: string[]): CatalogIds {
  const o = new ByteIdMap();
  offers.forEach((id, i) => o.set(id, i + 1));
  const c = new ByteIdMap();
  channels.forEach((id, i) => c.set(id, i + 1));
  return { offers: o, channels: c };
}

export interface Encoded {
  rows: CopyRow[];
  secondary: CopyRow[];
  problems: ImportProblem[];
  total: number;
  rowsRead: number;
}

export function encode(
  kind: FileKind,
  csv: string | Buffer,
  opts: { catalog?: CatalogIds; chunk?: number } = {},
): Encoded {
  const problems = new ProblemLog();
  const out = new CopyOut();
  const rows = new FileRows(
    kind.file,
    kind,
    problems,
    out,
    { catalog: opts.catalog ?? null },
    () => undefined,
  );
  const reader = new CsvRecordReader(rows);
  const bytes = typeof csv === "string" ? Buffer.from(csv, "utf8") : csv;
  const step = opts.chunk ?? bytes.length;
  for (let i = 0; i < bytes.length && !rows.stopped; i += step)
    reader.push(bytes.subarray(i, i + step));
  if (!rows.stopped) reader.end();
  rows.finish();
  const text = (o: CopyOut | null) => (o ? Buffer.concat(o.take(true)).toString("utf8") : "");
  return {
    rows: decodeCopy(text(out)),
    secondary: decodeCopy(text(rows.encoder?.secondary() ?? null)),
    problems: problems.problems,
    total: problems.total,
    rowsRead: rows.rows,
  };
}
