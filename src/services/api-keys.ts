// API keys: a random secret shown once, stored as its SHA-256 hash. The secret carries 256 bits
// of entropy, so a fast hash is safe (nothing to brute-force) and costs nothing per request.
import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "../db/prisma";
import type { ApiKey, ApiRole } from "../generated/prisma/client";
import { ConflictError, InputError, NotFoundError } from "./errors";

export const ROLES: readonly ApiRole[] = ["VIEWER", "ANALYST", "ADMIN"];
const SECRET_PREFIX = "op_";

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function parseRole(value: string, field = "role"): ApiRole {
  const role = value.toUpperCase() as ApiRole;
  if (!ROLES.includes(role)) throw new InputError(field, `must be one of ${ROLES.join(", ")}`);
  return role;
}

export async function createApiKey(
  prisma: PrismaClient,
  name: string,
  role: ApiRole,
): Promise<{ apiKey: ApiKey; secret: string }> {
  const trimmed = name.trim();
  if (!trimmed) throw new InputError("name", "must not be empty");
  const secret = SECRET_PREFIX + randomBytes(32).toString("base64url");
  const apiKey = await prisma.apiKey.create({
    data: { name: trimmed, role, keyHash: hashSecret(secret), prefix: secret.slice(0, 10) },
  });
  return { apiKey, secret };
}

export function listApiKeys(prisma: PrismaClient): Promise<ApiKey[]> {
  return prisma.apiKey.findMany({ orderBy: { id: "asc" } });
}

export async function revokeApiKey(prisma: PrismaClient, id: number): Promise<ApiKey> {
  const key = await prisma.apiKey.findUnique({ where: { id } });
  if (!key) throw new NotFoundError(`API key ${id} does not exist`);
  if (key.revokedAt) throw new ConflictError(`API key ${id} is already revoked`);
  return prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
}
