// Upper bounds on the numbers of constraint sets and plan runs. Numbers far beyond any campaign
// are typos or attempts to make a plan run for hours, and very large magnitudes ruin the LP's
// scaling (HiGHS works to relative tolerances near 1e-9), so they are refused at their field.

/** Money (budgets, custom bounds on cost or return): far above any campaign's spend, and small
 * enough that sums of cents stay exact in a float64 (2^53 ≈ 9e15). */
export const MAX_MONEY = 1e15;

/** ROI hurdle: return ≥ (1 + rate) × cost; no campaign asks for a return of 100 times its cost. */
export const MAX_HURDLE_RATE = 100;

/** Counts of contacts (capacities, offer volumes, segment and fatigue limits): a thousand times
 * the contacts of the world's population, yet well inside float64 integers. */
export const MAX_CAPACITY = 1e12;

/** Clusters of the cluster LP: its size and k-means time grow with k; past this the exact method
 * is the better tool. */
export const MAX_CLUSTERS = 100_000;

/** Offers per customer: each is a copy of the customer's options in the calendar and in repair;
 * no catalog comes near it. */
export const MAX_OFFERS_PER_CUSTOMER = 1000;

/** Rules in one list (and offers in one exclusion): each is an LP row and a report row; a
 * thousand is more than any real set and keeps a plan's model and report small. */
export const MAX_RULES_PER_LIST = 1000;

/** Day counts (windows, cool-offs, wave offsets): a century, longer than any contact history. */
export const MAX_DAYS = 36_600;

/** Seeds: stored with the plan and fed to a 32-bit generator. */
export const MAX_SEED = 2 ** 31 - 1;

/** A limit as messages show it: 1e15 rather than 1000000000000000. */
export function showLimit(n: number): string {
  return n >= 1e6 && Number.isInteger(Math.log10(n)) ? `1e${Math.log10(n)}` : String(n);
}

export const atMost = (n: number) => `must be at most ${showLimit(n)}`;
