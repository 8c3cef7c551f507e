// Checks of a plan run's parameters against the dataset, made when the plan is asked for: a plan
// that is bound to fail (more clusters than customers, a what-if naming an offer the dataset does
// not have) is refused at its field and never queued, instead of failing later on a worker.
import type { PrismaClient } from "../db/prisma";
import { patchedParts } from "../domain/constraint-patch";
import { parseConstraintSet, type ConstraintSetDefinition } from "../domain/constraint-set";
import { MAX_CLUSTERS, MAX_SEED } from "../domain/limits";
import { checkDataset, ConstraintSetInputError } from "./constraint-sets";
import { InputError } from "./errors";
import { withOverrides } from "./overrides";
import type { RunPlanParameters } from "./plans";

export async function checkRunInput(
  prisma: PrismaClient,
  params: RunPlanParameters,
  definition: ConstraintSetDefinition,
): Promise<void> {
  const { seed, clusters, overrides } = params;
  if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0 && seed <= MAX_SEED))
    throw new InputError("input.seed", `must be a whole number from 0 to ${MAX_SEED}`);
  if (clusters !== undefined) {
    if (!(Number.isSafeInteger(clusters) && clusters >= 1 && clusters <= MAX_CLUSTERS))
      throw new InputError("input.clusters", `must be a whole number from 1 to ${MAX_CLUSTERS}`);
    const customers = await prisma.customer.count();
    if (clusters > customers)
      throw new InputError(
        "input.clusters",
        `must be at most the number of customers (${customers}); got ${clusters}`,
      );
  }
  if (overrides) await checkOverrides(prisma, definition, overrides);
}

/**
 * The overridden fields and entries against the dataset, with the check a constraint set gets
 * when it is saved. Only those: the version's own were checked when it was saved, and a problem
 * of theirs is the version's, reported when it runs, not the what-if's. A problem is reported
 * where the overrides name the entry (its index, or its key in the keyed form).
 */
async function checkOverrides(
  prisma: PrismaClient,
  definition: ConstraintSetDefinition,
  overrides: Record<string, unknown>,
): Promise<void> {
  const merged = withOverrides(definition, overrides);
  const { fields, at } = patchedParts(merged as unknown as Record<string, unknown>, overrides);
  const parsed = parseConstraintSet({ name: definition.name, ...fields });
  // the whole what-if was parsed before (withOverrides); what fails alone has nothing to check
  if (!parsed.ok) return;
  try {
    await checkDataset(prisma, parsed.value);
  } catch (e) {
    if (!(e instanceof ConstraintSetInputError)) throw e;
    const p = e.problems.find((x) => x.path.split(".")[0]! in overrides);
    if (!p) return;
    const [field, index, ...rest] = p.path.split(".");
    const place = at[field!]?.[Number(index)];
    const path = place === undefined ? p.path : [field, place, ...rest].join(".");
    throw new InputError(`input.overrides.${path}`, p.message);
  }
}
