// The names of the constraint rows, the one definition the solvers' rows (coupling.ts) and the
// evaluator's report (evaluate.ts) both use. Only the names are shared: the evaluator keeps its
// own arithmetic, so that it still checks the solvers instead of repeating them. A name is the
// report's key, and callers find rows by it (duals, explanations, analyses).

export const BUDGET_ROW = "budget";
export const HURDLE_ROW = "hurdle";
export const OFFERS_PER_CUSTOMER_ROW = "offers_per_customer";
/** a customer given the same offer twice: a violation, never a report row */
export const DISTINCT_OFFERS_ROW = "distinct_offers";

export function capacityRowName(channelId: string): string {
  return `capacity:${channelId}`;
}

export function offerMinRowName(offerId: string): string {
  return `offer_min:${offerId}`;
}

export function offerMaxRowName(offerId: string): string {
  return `offer_max:${offerId}`;
}
