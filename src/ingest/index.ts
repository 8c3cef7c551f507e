// Public API of the dataset import (CLI `offerplan import`, later a GraphQL mutation).
export { importDataset } from "./import-dataset";
export type { FileSummary, ImportOptions, ImportSummary } from "./import-dataset";
export { ImportError, MAX_REPORTED_PROBLEMS } from "./errors";
export type { ImportProblem } from "./errors";
export { IMPORT_FILES } from "./dataset-files";
export type { ImportFileName } from "./dataset-files";
export type { ImportProgress } from "./progress";
