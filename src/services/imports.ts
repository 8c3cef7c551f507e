// Dataset imports for the API and the CLI: the importer (src/ingest) does the work; an import
// changes offers and channels, so this process's shared catalog is dropped once it commits.
import type { Pool } from "pg";
import { importDataset as runImport, type ImportOptions, type ImportSummary } from "../ingest";
import { invalidateCatalog } from "./catalog";

export { IMPORT_FILES } from "../ingest/dataset-files";
export { RESPONSES_FILE } from "../ingest/responses";
export type { ImportSummary } from "../ingest";

export async function importDataset(
  pool: Pool,
  dir: string,
  opts?: ImportOptions,
): Promise<ImportSummary> {
  const summary = await runImport(pool, dir, opts);
  invalidateCatalog(pool);
  return summary;
}
