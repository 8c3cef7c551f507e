// When a stored plan can still be replayed: only while the data it read is the data there is.
import type { Revisions } from "../db/revisions";

/** Why a plan's inputs are gone (its revisions moved on), or null when it can be replayed. */
export function replayBlocker(
  plan: { datasetRevision: bigint | number | null; historyRevision: bigint | number | null },
  now: Revisions,
): string | null {
  if (plan.datasetRevision === null) return "it was made before dataset revisions were recorded";
  if (Number(plan.datasetRevision) !== now.dataset)
    return (
      `it read dataset revision ${plan.datasetRevision} and the data is now at revision ` +
      `${now.dataset} (an import changed it since)`
    );
  if (plan.historyRevision !== null && Number(plan.historyRevision) !== now.history)
    return (
      `its contact policies read contact-history revision ${plan.historyRevision} and the ` +
      `history is now at revision ${now.history} (contacts were imported or committed since)`
    );
  return null;
}
