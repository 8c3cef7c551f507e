// The one error both resolutions of a constraint set raise (the limits and rules,
// src/services/resolve-constraints.ts; the contact policies, resolve-policies.ts), so that every
// caller reports a set that does not fit its dataset the same way.
import type { FieldProblem } from "./constraint-set";

/** A definition naming ids the dataset does not have, or limits that contradict each other. */
export class ConstraintResolutionError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(
      "constraint set does not fit the dataset: " +
        problems.map((p) => `${p.path}: ${p.message}`).join("; "),
    );
    this.name = "ConstraintResolutionError";
  }
}
