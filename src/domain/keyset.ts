// One page of a keyset read, as the API asks for it and the data layer reads it: the sort key of
// the row to start after (in the direction of travel), which way, and how many rows. A reader
// returns rows in the direction of travel; the caller puts a backward page back in list order.

/** A row's place in its order: its sort values, then a unique tiebreaker (its id). */
export type SortKey = (number | string)[];

export interface KeysetPage {
  /** the key of the row to start after (exclusive); null = from the list's start (or end) */
  key: SortKey | null;
  /** true for last/before: read toward the start of the list */
  backward: boolean;
  /** rows to read: the page size + 1, the extra row saying there is more */
  limit: number;
}

/** The first `limit` rows from the start, as the single-page readers (the CLI) ask. */
export const firstRows = (limit: number): KeysetPage => ({ key: null, backward: false, limit });
