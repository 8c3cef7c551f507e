// One file from disk into its staging table: the CSV reader feeds the file kind's row validator,
// whose COPY text streams to the server while the file is still being read (the server parses
// COPY on the other core).
//
// A file may also be read while the connection is still busy with an earlier merge (the score
// file while customers are merged): its COPY text then waits in memory, up to READ_AHEAD_BYTES,
// and the COPY starts once the connection is free.
import { join } from "node:path";
import type { PoolClient } from "pg";
import { CopyOut } from "./copy-out";
import { readCsvFile } from "./csv-reader";
import type { ImportFileSpec } from "./dataset-files";
import type { ProblemLog } from "./errors";
import type { ProgressReporter } from "./progress";
import { FileRows } from "./rows/file-rows";
import type { EncoderContext } from "./rows/row-encoder";
import { CopyIn, copyAll, stagingCopy, type CopyTarget, type StagingTables } from "./staging";
import { FileHasher, type FileFingerprint } from "./unchanged-files";

/** COPY text held back while the connection is busy, before reading pauses. */
export const READ_AHEAD_BYTES = 256 << 20;

export interface StagedFile {
  /** data rows in the file (header and empty lines not counted) */
  rowsRead: number;
  /** rows in the staging table */
  staged: number;
  seconds: number;
  /** the bytes read, recorded so that a later import can tell the file unchanged */
  fingerprint: FileFingerprint;
}

/**
 * Opens the COPY once the connection is free; until then the COPY text waits in memory, up to
 * READ_AHEAD_BYTES, after which reading waits too.
 */
class DeferredCopy {
  copy: CopyIn | null = null;
  private connectionFree: boolean;

  constructor(
    private readonly out: CopyOut,
    private readonly open: () => CopyIn,
    private readonly busy: Promise<void> | null,
  ) {
    this.connectionFree = busy === null;
    void busy?.then(() => (this.connectionFree = true));
  }

  async flush(): Promise<void> {
    if (this.copy === null && !this.connectionFree && this.out.pending > READ_AHEAD_BYTES)
      await this.busy;
    if (this.copy === null && this.connectionFree) this.copy = this.open();
    if (this.copy !== null) await this.copy.flush();
  }

  /** finishes the COPY (opening it first if reading ended before the connection was free) */
  async end(): Promise<number> {
    await this.busy;
    this.copy ??= this.open();
    return this.copy.end();
  }
}

export async function stageFile(
  client: PoolClient,
  dir: string,
  spec: ImportFileSpec,
  tables: StagingTables,
  problems: ProblemLog,
  progress: ProgressReporter,
  context: EncoderContext,
  /** settles when the connection is free for this file's COPY (null: it is free now) */
  busy: Promise<void> | null = null,
  /** the COPY the rows go to: by default the file's staging table */
  target: CopyTarget = stagingCopy(tables, spec.staging),
): Promise<StagedFile> {
  const started = performance.now();
  progress.start(spec.name);
  const out = new CopyOut();
  const copy = new DeferredCopy(out, () => new CopyIn(client, target, out), busy);
  const rows = new FileRows(spec.name, spec.kind, problems, out, context, async (n) => {
    await copy.flush();
    progress.update(n);
  });
  const hasher = new FileHasher();
  try {
    await readCsvFile(join(dir, spec.name), rows, hasher.update);
  } catch (e) {
    copy.copy?.abort();
    throw e;
  }
  const staged = await copy.end();
  rows.finish();
  const secondary = rows.encoder?.secondary();
  if (secondary && spec.secondary && secondary.rows > 0)
    await copyAll(client, tables, spec.secondary, secondary);
  const rowsRead = rows.rows;
  progress.update(rowsRead, true);
  const seconds = (performance.now() - started) / 1000;
  return { rowsRead, staged, seconds, fingerprint: hasher.digest() };
}
