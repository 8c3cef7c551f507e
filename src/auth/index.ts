// Who a request acts as and what it may do. Both the HTTP edge (src/server, which finds the caller
// from its API key) and the resolvers (which check roles) need this, and neither should import
// the other for it.
import type { ApiRole } from "../generated/prisma/client";

export interface Caller {
  keyId: number;
  name: string;
  role: ApiRole;
}

const RANK: Record<ApiRole, number> = { VIEWER: 0, ANALYST: 1, ADMIN: 2 };

export class UnauthenticatedError extends Error {
  override name = "UnauthenticatedError";
}
export class ForbiddenError extends Error {
  override name = "ForbiddenError";
}

export function requireRole(caller: Caller, role: ApiRole): void {
  if (RANK[caller.role] < RANK[role])
    throw new ForbiddenError(
      `this needs the ${role} role; the key "${caller.name}" is ${caller.role}`,
    );
}
