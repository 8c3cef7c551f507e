// Which files an import reads. All four present = a full import; any subset is an update of just
// those kinds, its references resolved against the files in the set and the database.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { ImportError } from "./errors";
import { channelsKind } from "./rows/channels";
import { customersKind } from "./rows/customers";
import { offersKind } from "./rows/offers";
import type { FileKind } from "./rows/row-encoder";
import { scoresKind } from "./rows/scores";
import type { StagingTables } from "./staging";

/** The import files, in the order they are read (referenced files before referencing ones). */
export const IMPORT_FILES = ["channels.csv", "offers.csv", "customers.csv", "scores.csv"] as const;
export type ImportFileName = (typeof IMPORT_FILES)[number];

export interface ImportFileSpec {
  name: ImportFileName;
  kind: FileKind;
  staging: keyof StagingTables;
  /** staging table of the rows the validator collects on the side (offer channel lists) */
  secondary?: keyof StagingTables;
}

const SPECS: Record<ImportFileName, ImportFileSpec> = {
  "channels.csv": { name: "channels.csv", kind: channelsKind, staging: "channel" },
  "offers.csv": {
    name: "offers.csv",
    kind: offersKind,
    staging: "offer",
    secondary: "offerChannel",
  },
  "customers.csv": { name: "customers.csv", kind: customersKind, staging: "customer" },
  "scores.csv": { name: "scores.csv", kind: scoresKind, staging: "score" },
};

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The files to import from dir: `only` when given (each must exist), else those of the four
 * that are there (at least one must be).
 */
export async function resolveFiles(
  dir: string,
  only?: readonly ImportFileName[],
): Promise<ImportFileSpec[]> {
  const dirOk = await stat(dir).then(
    (st) => st.isDirectory(),
    () => false,
  );
  if (!dirOk)
    throw new ImportError([{ file: dir, line: 0, column: null, message: "no such directory" }], 1);
  const wanted = only ? IMPORT_FILES.filter((f) => only.includes(f)) : IMPORT_FILES;
  for (const f of only ?? []) {
    if (!IMPORT_FILES.includes(f))
      throw new ImportError([{ file: f, line: 0, column: null, message: "not an import file" }], 1);
  }
  const present = await Promise.all(wanted.map((f) => isFile(join(dir, f))));
  if (only) {
    const missing = wanted.filter((_, i) => !present[i]);
    if (missing.length > 0)
      throw new ImportError(
        missing.map((f) => ({ file: f, line: 0, column: null, message: `not found in ${dir}` })),
        missing.length,
      );
  }
  const files = wanted.filter((_, i) => present[i]).map((f) => SPECS[f]);
  if (files.length === 0)
    throw new ImportError(
      [
        {
          file: dir,
          line: 0,
          column: null,
          message: `none of ${IMPORT_FILES.join(", ")} is in this directory`,
        },
      ],
      1,
    );
  return files;
}
