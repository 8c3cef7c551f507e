// importDataset(): a dataset directory into the database in ONE transaction, so that an import
// is all or nothing whatever its size or the place of its last bad row.
//
//   0. files whose bytes the database already holds are skipped (unchanged-files.ts);
//   1. read each file, validate every row in Node, stream COPY text into an unlogged staging
//      table (the server parses COPY while Node reads the next chunk);
//   2. set-based checks in SQL over the staged files (duplicates, unknown references);
//   3. set-based merges into the real tables by external id (see merge-*.ts);
//   4. an import_run row with the summary; drop the staging tables; COMMIT.
// The small catalog files (channels, offers) are checked and merged first, so that score rows can
// be given their offer and channel ids while they are read. A first load of scores (empty score
// table) skips steps 1–3 for scores.csv: its rows go straight into `score` (direct-scores.ts).
// Any problem: reading goes on to the end to report the rest, the detailed checks run,
// ImportError is thrown, all is rolled back.
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
import { isEmpty } from "./bulk-policy";
import { loadCustomersDirect } from "./direct-customers";
import { loadScoresDirect } from "./direct-scores";
import type { CustomerIds } from "./customer-ids";
import { diagnoseBulk, diagnoseCatalog } from "./set-checks";
import { stageFile, type StagedFile } from "./stage-file";
import {
  createStagingTables,
  dropStagingTables,
  stagingTables,
  type StagingTables,
} from "./staging";
import type { EncoderContext } from "./rows/row-encoder";
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
// merge statements measured ~2 s for nothing they gained. A parallel index build shares
// maintenance_work_mem among its processes: at 2.5M customers (19.6M score keys) 1GB left each
// a share too small for its part of the sort, which then went to disk.
const SESSION_SETTINGS = `SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '2GB';
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
  return inTransaction(pool, async (client) => {
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
    const run = new DatasetImport(client, dir, specs, opts, phases, unchanged, rows[0]!.pid);
    await createStagingTables(client, run.tables);
    await run.loadFiles();
    const files = run.summaries();
    await dropStagingTables(client, run.tables);
    const rowsRead = files.reduce((n, f) => n + f.rowsRead, 0);
    const seconds = (performance.now() - started) / 1000;
    const changed = files.some((f) => f.inserted + f.updated > 0);
    const revision = changed ? await bumpRevision(client, "dataset") : revisionBefore;
    const summary = JSON.stringify({ files, rowsRead, seconds, phases: phases.list });
    const inserted = await client.query<{ id: number }>(
      `INSERT INTO import_run (directory, started_at, finished_at, summary, revision)
       VALUES ($1, $2, clock_timestamp(), $3, $4) RETURNING id`,
      [dir, startedAt, summary, revision],
    );
    const runId = inserted.rows[0]!.id;
    return { runId, directory: dir, files, rowsRead, seconds, revision, phases: phases.list };
  });
}

type Counted = MergeCounts & { seconds: number };

/** One import's files on its transaction's connection, in the order references need. */
class DatasetImport {
  readonly tables: StagingTables;
  private readonly problems = new ProblemLog();
  private readonly progress: ProgressReporter;
  private readonly staged = new Map<ImportFileName, StagedFile>();
  private readonly counts = new Map<ImportFileName, Counted>();
  private readonly context: EncoderContext = { catalog: null };
  /** what a direct customer load left to do on the connection (DirectCustomers.finish) */
  private customersLeft: (() => Promise<void>) | null = null;

  constructor(
    private readonly client: PoolClient,
    private readonly dir: string,
    private readonly specs: readonly ImportFileSpec[],
    opts: ImportOptions,
    private readonly phases: Phases,
    private readonly unchanged: Map<ImportFileName, UnchangedFile>,
    backendPid: number,
  ) {
    this.tables = stagingTables(backendPid);
    this.progress = new ProgressReporter(opts.onProgress);
  }

  async loadFiles(): Promise<void> {
    const client = this.client;
    await this.stage("channels.csv");
    await this.stage("offers.csv");
    await diagnoseCatalog(client, this.tables, this.problems);
    const catalogMerged = this.problems.empty;
    if (catalogMerged) {
      await this.merge("channels.csv", () => mergeChannels(client, this.tables));
      await this.merge("offers.csv", () => mergeOffers(client, this.tables));
    }
    const catalog = await loadCatalogIds(client, catalogMerged ? undefined : this.tables);
    this.context.catalog = catalog;
    const customers = this.toRead("customers.csv");
    const ids =
      customers && this.problems.empty && (await isEmpty(client, "customer"))
        ? await this.firstCustomerLoad(customers, catalog)
        : null;
    if (ids === null) await this.stage("customers.csv");
    const scores = this.toRead("scores.csv");
    if (scores && this.problems.empty && (await isEmpty(client, "score")))
      await this.firstScoreLoad(scores, catalog, ids);
    else {
      await this.finishCustomers();
      await this.overlappedLoad();
    }
  }

  /** the direct customer load's remaining work, once, before anything else needs the connection */
  private finishCustomers(): Promise<void> {
    const left = this.customersLeft;
    this.customersLeft = null;
    return left ? left() : Promise.resolve();
  }

  /** customers straight into `customer`; null when not clean (then read through staging) */
  private async firstCustomerLoad(
    spec: ImportFileSpec,
    catalog: CatalogIds,
  ): Promise<CustomerIds | null> {
    const { client, dir, tables, progress, phases } = this;
    const direct = await loadCustomersDirect(
      { client, dir, spec, tables, progress, phases },
      catalog,
    );
    if (!direct) return null;
    this.staged.set(spec.name, direct.staged);
    const inserted = direct.staged.staged;
    this.counts.set(spec.name, { inserted, updated: 0, seconds: 0 });
    this.customersLeft = direct.finish;
    return direct.ids;
  }

  /** Customers merged while the score file is read into staging, then scores merged. */
  private async overlappedLoad(): Promise<void> {
    // the server works on the merge while Node parses; the score COPY starts when it is done
    const customers = this.problems.empty ? this.mergeCustomers() : null;
    const connectionFree = customers?.then(
      () => undefined,
      () => undefined,
    );
    try {
      await this.stage("scores.csv", connectionFree ?? null);
    } finally {
      // settle the merge before anything else is sent on the connection
      await connectionFree;
    }
    await this.explainConflicts(async () => {
      await customers;
      await this.mergeStagedScores();
    });
  }

  /** Customers merged, then scores straight into `score`; through staging if not clean. */
  private async firstScoreLoad(
    scores: ImportFileSpec,
    catalog: CatalogIds,
    /** the customers' ids when they were just numbered in Node; null: ask the database */
    ids: CustomerIds | null,
  ): Promise<void> {
    let conflict: MergeConflict | null = null;
    try {
      await this.mergeCustomers();
    } catch (e) {
      if (!(e instanceof MergeConflict)) throw e;
      // explained below, with the score file's problems as an overlapped load would
      conflict = e;
    }
    const { client, dir, tables, progress, phases } = this;
    // the server builds the customers' indexes while Node reads the score file ahead
    const direct = conflict
      ? null
      : await loadScoresDirect(
          { client, dir, spec: scores, tables, progress, phases },
          { catalog, ids },
          () => this.finishCustomers(),
        );
    await this.finishCustomers();
    if (direct) {
      this.staged.set("scores.csv", direct);
      this.counts.set("scores.csv", { inserted: direct.staged, updated: 0, seconds: 0 });
      return;
    }
    await this.stage("scores.csv");
    await this.explainConflicts(async () => {
      if (conflict) throw conflict;
      await this.mergeStagedScores();
    });
  }

  private mergeCustomers(): Promise<void> {
    return this.merge("customers.csv", (rows) => mergeCustomers(this.client, this.tables, rows));
  }

  /** rejects with the bulk checks' findings when any row had a problem; else merges */
  private async mergeStagedScores(): Promise<void> {
    if (!this.problems.empty) {
      await diagnoseBulk(this.client, this.tables, this.problems);
      throw this.problems.toError();
    }
    await this.merge("scores.csv", (rows) => mergeScores(this.client, this.tables, rows));
  }

  /** a merge that stopped on bad rows (MergeConflict) becomes an ImportError naming them */
  private async explainConflicts(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      if (!(e instanceof MergeConflict)) throw e;
      if ((await diagnoseBulk(this.client, this.tables, this.problems)) === 0)
        throw new Error(`merge stopped (${e.message}) but no check explains it`, { cause: e });
      throw this.problems.toError();
    }
  }

  /** the spec of a file this import reads (null: not in the import, or unchanged) */
  private toRead(file: ImportFileName): ImportFileSpec | null {
    const spec = this.specs.find((s) => s.name === file);
    return spec && !this.unchanged.has(file) ? spec : null;
  }

  private async stage(file: ImportFileName, busy: Promise<void> | null = null): Promise<void> {
    const same = this.unchanged.get(file);
    if (same) {
      this.progress.start(file);
      this.progress.update(same.rowsRead, true);
      return;
    }
    const spec = this.toRead(file);
    if (!spec) return;
    const { client, dir, tables, problems, progress, context } = this;
    const done = await this.phases.time(`read + copy ${file}`, () =>
      stageFile(client, dir, spec, tables, problems, progress, context, busy),
    );
    this.staged.set(file, done);
  }

  private async merge(
    file: ImportFileName,
    run: (rows: number) => Promise<MergeCounts>,
  ): Promise<void> {
    const s = this.staged.get(file);
    // not read, or loaded straight into its table
    if (!s || this.counts.has(file)) return;
    const t0 = performance.now();
    const c = await this.phases.time(`merge ${file}`, () => run(s.staged));
    this.counts.set(file, { ...c, seconds: (performance.now() - t0) / 1000 });
  }

  summaries(): FileSummary[] {
    return this.specs.map((spec) =>
      fileSummary(
        spec.name,
        this.staged.get(spec.name),
        this.counts.get(spec.name),
        this.unchanged.get(spec.name),
      ),
    );
  }
}

function fileSummary(
  file: ImportFileName,
  staged: StagedFile | undefined,
  counts: Counted | undefined,
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
