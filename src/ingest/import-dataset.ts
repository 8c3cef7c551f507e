// importDataset(): a dataset directory into the database in ONE transaction, so that an import
// is all or nothing whatever its size or the place of its last bad row.
//
//   1. read each file, validate every row in Node, stream COPY text into an unlogged staging
//      table (the server parses COPY while Node reads the next chunk);
//   2. set-based checks in SQL over the staged files (duplicates, unknown references);
//   3. set-based merges into the real tables by external id (see merge-*.ts);
//   4. an import_run row with the summary; drop the staging tables; COMMIT.
// The small catalog files (channels, offers) are checked and merged first, so that score rows can
// be given their offer and channel ids while they are read. Any problem: reading goes on to the
// end to report the rest, the detailed checks run, ImportError is thrown, all is rolled back.
import { inTransaction } from "../db/transaction";
import { bumpRevision, currentRevisions } from "../db/revisions";
import type { Pool, PoolClient } from "pg";
import { loadCatalogIds, type CatalogIds } from "./catalog-ids";
import { resolveFiles, type ImportFileName, type ImportFileSpec } from "./dataset-files";
import { ProblemLog } from "./errors";
import { mergeChannels, mergeOffers, type MergeCounts } from "./merge-catalog";
import { mergeCustomers } from "./merge-customers";
import { MergeConflict } from "./merge-conflict";
import { mergeScores } from "./merge-scores";
import { Phases, type PhaseTiming } from "./phases";
import { ProgressReporter, type ImportProgress } from "./progress";
import { diagnoseBulk, diagnoseCatalog } from "./set-checks";
import { stageFile, type StagedFile } from "./stage-file";
import { createStagingTables, dropStagingTables, stagingTables } from "./staging";
import { unchangedFiles, type UnchangedFile } from "./unchanged-files";

export interface ImportOptions {
  /** called while files are read, at most a few times per second, and once at each file's end */
  onProgress?: (p: ImportProgress) => void;
  /** import only these files of the directory (each must exist); default: those present */
  files?: readonly ImportFileName[];
}

export interface FileSummary {
  file: ImportFileName;
  /** data rows in the file */
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** reading, staging and merging this file (the score file is read while customers are
   *  merged, so these two overlap) */
  seconds: number;
  /** hex SHA-256 and size of the file's bytes */
  sha256: string;
  bytes: number;
  /** the database already held this file unchanged (unchanged-files.ts): it was not read */
  skipped: boolean;
}

export interface ImportSummary {
  /** id of the import_run row */
  runId: number;
  directory: string;
  files: FileSummary[];
  rowsRead: number;
  seconds: number;
  /** the dataset revision after the import: moved on by one when it changed any row */
  revision: number;
  /** wall-clock seconds of each step, in order */
  phases: PhaseTiming[];
}

// For this transaction only: memory for the merge's joins and sorts and for the index builds
// (the default 4MB / 64MB make them spill to disk), and no JIT, whose compilation of the big
// merge statements measured ~2 s for nothing they gained.
const SESSION_SETTINGS = `SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '1GB';
  SET LOCAL jit = off`;

// Imports serialise on these locks; readers (SELECT) go on until a bulk merge alters a table.
const LOCK_TABLES = `LOCK TABLE channel, offer, offer_channel, customer, score IN SHARE ROW EXCLUSIVE MODE`;

export async function importDataset(
  pool: Pool,
  dir: string,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const started = performance.now();
  const startedAt = new Date();
  const specs = await resolveFiles(dir, opts.files);
  return inTransaction(pool, (client) => runImport(client, dir, specs, opts, started, startedAt));
}

async function runImport(
  client: PoolClient,
  dir: string,
  specs: ImportFileSpec[],
  opts: ImportOptions,
  started: number,
  startedAt: Date,
): Promise<ImportSummary> {
  const phases = new Phases();
  const { rows } = await phases.time("lock", async () => {
    await client.query(SESSION_SETTINGS);
    await client.query(LOCK_TABLES);
    return client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  });
  const revisionBefore = (await currentRevisions(client)).dataset;
  const unchanged = await phases.time("hash unchanged files", () =>
    unchangedFiles(client, dir, specs, revisionBefore),
  );
  const tables = stagingTables(rows[0]!.pid);
  await createStagingTables(client, tables);

  const problems = new ProblemLog();
  const progress = new ProgressReporter(opts.onProgress);
  const staged = new Map<ImportFileName, StagedFile>();
  const counts = new Map<ImportFileName, MergeCounts & { seconds: number }>();
  const context = { catalog: null as CatalogIds | null };
  const stage = async (file: ImportFileName, busy: Promise<void> | null = null) => {
    const spec = specs.find((s) => s.name === file);
    if (!spec) return;
    const same = unchanged.get(file);
    if (same) {
      progress.start(file);
      progress.update(same.rowsRead, true);
      return;
    }
    const done = await phases.time(`read + copy ${file}`, () =>
      stageFile(client, dir, spec, tables, problems, progress, context, busy),
    );
    staged.set(file, done);
  };
  const merge = async (file: ImportFileName, run: (rows: number) => Promise<MergeCounts>) => {
    const s = staged.get(file);
    if (!s) return;
    const t0 = performance.now();
    const c = await phases.time(`merge ${file}`, () => run(s.staged));
    counts.set(file, { ...c, seconds: (performance.now() - t0) / 1000 });
  };
  const rejectWithChecks = async (): Promise<never> => {
    await diagnoseBulk(client, tables, problems);
    throw problems.toError();
  };

  await stage("channels.csv");
  await stage("offers.csv");
  await diagnoseCatalog(client, tables, problems);
  const catalogMerged = problems.empty;
  if (catalogMerged) {
    await merge("channels.csv", () => mergeChannels(client, tables));
    await merge("offers.csv", () => mergeOffers(client, tables));
  }
  context.catalog = await loadCatalogIds(client, catalogMerged ? undefined : tables);
  await stage("customers.csv");
  // Customers are merged while the score file is being read: the server works on the merge
  // while Node parses, and the score COPY starts when the connection is free.
  const customers = problems.empty
    ? merge("customers.csv", (rows) => mergeCustomers(client, tables, rows))
    : null;
  const connectionFree = customers?.then(
    () => undefined,
    () => undefined,
  );
  try {
    await stage("scores.csv", connectionFree ?? null);
  } finally {
    // settle the merge before anything else is sent on the connection
    await connectionFree;
  }
  try {
    await customers;
    if (!problems.empty) await rejectWithChecks();
    await merge("scores.csv", (rows) => mergeScores(client, tables, rows));
  } catch (e) {
    if (!(e instanceof MergeConflict)) throw e;
    if ((await diagnoseBulk(client, tables, problems)) === 0)
      throw new Error(`merge stopped (${e.message}) but no check explains it`, { cause: e });
    throw problems.toError();
  }

  const files = specs.map((spec) =>
    fileSummary(spec.name, staged.get(spec.name), counts.get(spec.name), unchanged.get(spec.name)),
  );
  await dropStagingTables(client, tables);
  const rowsRead = files.reduce((n, f) => n + f.rowsRead, 0);
  const seconds = (performance.now() - started) / 1000;
  const changed = files.some((f) => f.inserted + f.updated > 0);
  const revision = changed ? await bumpRevision(client, "dataset") : revisionBefore;
  const run = await client.query<{ id: number }>(
    `INSERT INTO import_run (directory, started_at, finished_at, summary, revision)
     VALUES ($1, $2, clock_timestamp(), $3, $4) RETURNING id`,
    [dir, startedAt, JSON.stringify({ files, rowsRead, seconds, phases: phases.list }), revision],
  );
  const runId = run.rows[0]!.id;
  return { runId, directory: dir, files, rowsRead, seconds, revision, phases: phases.list };
}

function fileSummary(
  file: ImportFileName,
  staged: StagedFile | undefined,
  counts: (MergeCounts & { seconds: number }) | undefined,
  same: UnchangedFile | undefined,
): FileSummary {
  if (same) {
    const { sha256, bytes, rowsRead } = same;
    const unchanged = same.staged;
    return {
      file,
      rowsRead,
      inserted: 0,
      updated: 0,
      unchanged,
      seconds: 0,
      sha256,
      bytes,
      skipped: true,
    };
  }
  const s = staged!;
  const c = counts ?? { inserted: 0, updated: 0, seconds: 0 };
  return {
    file,
    rowsRead: s.rowsRead,
    inserted: c.inserted,
    updated: c.updated,
    unchanged: s.staged - c.inserted - c.updated,
    seconds: s.seconds + c.seconds,
    ...s.fingerprint,
    skipped: false,
  };
}
