// What a failed run stores as its error (plan.error, analysis.error), which every VIEWER reads
// through GraphQL and BI: a domain error as it is (it is about the user's data and constraints),
// anything else as "internal error" with a reference, its details left to the server log.
import { randomUUID } from "node:crypto";
import { ConstraintResolutionError } from "../domain/resolution-error";
import { OptimizeError } from "../optimize/diagnose";
import { ConflictError, InputError, NotFoundError } from "./errors";

/** A run failed for a reason that is not the user's: the original stays on `cause`. */
export class InternalRunError extends Error {
  override name = "InternalRunError";
  constructor(
    readonly reference: string,
    cause: unknown,
  ) {
    super(`internal error (reference ${reference})`, { cause });
  }
}

const DOMAIN = [OptimizeError, ConstraintResolutionError, InputError, ConflictError, NotFoundError];

/** The text to store for a failed run, and the reference of an internal one (null otherwise). */
export function storedRunError(e: unknown): { message: string; reference: string | null } {
  if (DOMAIN.some((cls) => e instanceof cls))
    return { message: (e as Error).message, reference: null };
  const reference = randomUUID();
  return { message: new InternalRunError(reference, e).message, reference };
}
