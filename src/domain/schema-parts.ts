// The pieces the constraint-set schema and the contact-policy rules (policy-rules.ts) are built of.
import { z } from "zod";
import { atMost, MAX_CAPACITY, MAX_DAYS, MAX_MONEY, MAX_RULES_PER_LIST, showLimit } from "./limits";

export const id = z.string().trim().min(1, "must be a non-empty id");
const nonNegInt = z.number().int("must be a whole number").min(0, "must be >= 0");
/** a count of contacts */
export const count = nonNegInt.max(MAX_CAPACITY, atMost(MAX_CAPACITY));
export const days = (min: number) =>
  z
    .number()
    .int("must be a whole number")
    .min(min, `must be >= ${min}`)
    .max(MAX_DAYS, atMost(MAX_DAYS));
export const money = z.number().min(0, "must be >= 0").max(MAX_MONEY, atMost(MAX_MONEY));
/** a bound of any sign on a sum of money, contacts or an attribute */
export const bound = z
  .number()
  .min(-MAX_MONEY, `must be at least -${showLimit(MAX_MONEY)}`)
  .max(MAX_MONEY, atMost(MAX_MONEY));
export const list = <T extends z.ZodType>(item: T) =>
  z.array(item).max(MAX_RULES_PER_LIST, `at most ${MAX_RULES_PER_LIST} entries`);

export const reportOnly = z.boolean().default(false);
export const oneOfferFilter: [
  (r: { offerId?: string | null; offerCategory?: string | null }) => boolean,
  { message: string; path: string[] },
] = [
  (r) => r.offerId == null || r.offerCategory == null,
  { message: "give offerId or offerCategory, not both", path: ["offerCategory"] },
];
export const ruleName = z.string().trim().min(1, "must be a non-empty name").nullish();
