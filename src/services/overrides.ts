// A what-if's overrides merged into its constraint-set version. Kept apart from services/plans.ts
// so that the report and the CLI read it without loading the optimiser.
import { applyPatch, PatchError } from "../domain/constraint-patch";
import { parseConstraintSet, type ConstraintSetDefinition } from "../domain/constraint-set";
import { InputError } from "./errors";

/**
 * The version's definition with a what-if's overrides merged in, as a patch (lists by key, null
 * removes: domain/constraint-patch.ts): overriding one channel's capacity keeps the others.
 */
export function withOverrides(
  definition: ConstraintSetDefinition,
  overrides: Record<string, unknown>,
): ConstraintSetDefinition {
  let merged: Record<string, unknown>;
  try {
    merged = applyPatch(definition, overrides);
  } catch (e) {
    if (e instanceof PatchError)
      throw new InputError(`input.overrides${e.path ? `.${e.path}` : ""}`, e.message);
    throw e;
  }
  const res = parseConstraintSet(merged);
  if (!res.ok) {
    const p = res.problems[0]!;
    throw new InputError(`input.overrides${p.path ? `.${p.path}` : ""}`, p.message);
  }
  return res.value;
}
