// What a direct first load of one file (direct-customers.ts, direct-scores.ts) works with, and how
// it leaves its table once the rows are in.
import type { PoolClient } from "pg";
import { recreateIndexes, statementName, type DroppedIndexes } from "./bulk-indexes";
import type { ImportFileSpec } from "./dataset-files";
import type { Phases } from "./phases";
import type { ProgressReporter } from "./progress";
import type { StagingTables } from "./staging";

export interface DirectFile {
  client: PoolClient;
  /** the dataset's directory, and the file in it */
  dir: string;
  spec: ImportFileSpec;
  tables: StagingTables;
  progress: ProgressReporter;
  phases: Phases;
}

/** Builds again the indexes dropped before the COPY (if any), then analyzes the table. */
export async function rebuildAndAnalyze(
  { client, phases }: DirectFile,
  table: "customer" | "score",
  dropped: DroppedIndexes | null,
): Promise<void> {
  if (dropped)
    await phases.time(`rebuild ${table} indexes`, () =>
      recreateIndexes(client, dropped, (sql, seconds) =>
        phases.add(`build ${statementName(sql)}`, seconds),
      ),
    );
  await phases.time(`analyze ${table}`, () => client.query(`ANALYZE ${table}`));
}
