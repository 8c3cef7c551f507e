// The caller, API keys and imports (ADMIN).
import path from "node:path";
import { importDataset } from "../../ingest";
import { InputError } from "../../services/errors";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys";
import { requireRole } from "../../server/auth";
import type { Resolvers } from "../__generated__/resolvers";
import { invalidateCatalog } from "../loaders";
import { parseId } from "../pagination";

export const adminResolvers: Resolvers = {
  Query: {
    viewer: (_p, _a, ctx) => ({ name: ctx.caller.name, role: ctx.caller.role }),
    apiKeys: (_p, _a, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      return listApiKeys(ctx.prisma);
    },
  },
  Mutation: {
    createApiKey: (_p, { name, role }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      return createApiKey(ctx.prisma, name, role);
    },
    revokeApiKey: (_p, { id }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      return revokeApiKey(ctx.prisma, parseId(id, "id"));
    },
    importDataset: async (_p, { dir }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const r = await importDataset(ctx.pool, importPath(dir, ctx.importRoot));
      invalidateCatalog(ctx.pool);
      ctx.log.info({ dir, importRunId: r.runId }, "dataset imported");
      return {
        importRunId: String(r.runId),
        directory: r.directory,
        changed: r.files.some((f) => f.inserted > 0 || f.updated > 0),
        rowsRead: r.rowsRead,
        files: r.files,
        seconds: r.seconds,
      };
    },
  },
};

/** With an import root, `dir` is relative to it and may not climb out of it. */
function importPath(dir: string, root: string | undefined): string {
  if (!root) return dir;
  const resolved = path.resolve(root, dir);
  const rel = path.relative(path.resolve(root), resolved);
  if (rel.startsWith("..") || path.isAbsolute(rel))
    throw new InputError("dir", `must be a directory below the server's import root`);
  return resolved;
}
