// Files already in the database byte for byte, which an import can skip without reading them.
//
// Every import records each file's SHA-256 and size in its import_run summary. A file is
// unchanged when the latest import that included a file of that name recorded the same hash, and
// the dataset revision is still the one that import left: the dataset tables are written only by
// imports, every import that changes a row moves the revision, and merging a file is idempotent
// (a second merge of the same bytes writes nothing), so the tables still hold exactly what merging
// those bytes gave, and merging them again would write nothing. Each file kind writes only its own
// tables, so a skipped file needs none of the others. The check runs under the import's locks.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { PoolClient } from "pg";
import type { ImportFileName, ImportFileSpec } from "./dataset-files";

export interface FileFingerprint {
  /** hex SHA-256 of the file's bytes */
  sha256: string;
  bytes: number;
}

/** What the import that last read an unchanged file found in it. */
export interface UnchangedFile extends FileFingerprint {
  rowsRead: number;
  /** rows it staged (inserted + updated + unchanged): all of them unchanged now */
  staged: number;
}

/** Hashes the bytes a reader sees, chunk by chunk. */
export class FileHasher {
  private readonly hash = createHash("sha256");
  private bytes = 0;

  readonly update = (chunk: Buffer): void => {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  };

  digest(): FileFingerprint {
    return { sha256: this.hash.digest("hex"), bytes: this.bytes };
  }
}

interface RecordedFile {
  file: string;
  sha256: string | null;
  bytes: string | null;
  rows_read: number;
  staged: number;
  current: boolean;
}

/** The files of specs that the database already holds unchanged, by name. */
export async function unchangedFiles(
  client: PoolClient,
  dir: string,
  specs: readonly ImportFileSpec[],
  datasetRevision: number,
): Promise<Map<ImportFileName, UnchangedFile>> {
  const { rows } = await client.query<RecordedFile>(
    `SELECT DISTINCT ON (f->>'file') f->>'file' AS file, f->>'sha256' AS sha256,
            f->>'bytes' AS bytes, (f->>'rowsRead')::int AS rows_read,
            ((f->>'inserted')::int + (f->>'updated')::int + (f->>'unchanged')::int) AS staged,
            r.revision = $1 AS current
     FROM import_run r CROSS JOIN LATERAL jsonb_array_elements(r.summary->'files') f
     ORDER BY f->>'file', r.id DESC`,
    [datasetRevision],
  );
  const found = new Map<ImportFileName, UnchangedFile>();
  for (const spec of specs) {
    const last = rows.find((r) => r.file === spec.name);
    if (!last?.current || last.sha256 === null || last.bytes === null) continue;
    const path = join(dir, spec.name);
    // the size first: a file of another size needs no hashing to be known changed
    if ((await stat(path)).size !== Number(last.bytes)) continue;
    const now = await hashFile(path);
    if (now.sha256 !== last.sha256 || now.bytes !== Number(last.bytes)) continue;
    found.set(spec.name, { ...now, rowsRead: last.rows_read, staged: last.staged });
  }
  return found;
}

async function hashFile(path: string): Promise<FileFingerprint> {
  const hasher = new FileHasher();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }))
    hasher.update(chunk as Buffer);
  return hasher.digest();
}
