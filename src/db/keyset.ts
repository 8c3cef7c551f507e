// Keyset conditions for SQL reads: a row comparison over the order's columns (all sorted the same
// way, the last one unique), which an index on those columns answers without a sort or an offset.
import type { KeysetPage } from "../domain/keyset";

export interface KeysetSql {
  /** "(a, b) > ($3, $4)", or TRUE on the first page */
  where: string;
  /** "a ASC, b ASC" in the direction of travel */
  orderBy: string;
}

/**
 * The WHERE and ORDER BY of one page over `columns` sorted `descending` (in list order); the key's
 * values and the limit are appended to `params` (the limit last: `$${params.length}`).
 */
export function keysetSql(
  columns: string[],
  descending: boolean,
  page: KeysetPage,
  params: unknown[],
): KeysetSql {
  const down = descending !== page.backward;
  let where = "TRUE";
  if (page.key) {
    const at = page.key.map((v) => {
      params.push(v);
      return `$${params.length}`;
    });
    where = `(${columns.join(", ")}) ${down ? "<" : ">"} (${at.join(", ")})`;
  }
  params.push(page.limit);
  return { where, orderBy: columns.map((c) => `${c} ${down ? "DESC" : "ASC"}`).join(", ") };
}
