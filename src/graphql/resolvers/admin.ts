// The caller, API keys and imports (ADMIN).
import { auditEventPage } from "../../services/audit-trail";
import { createApiKey, listApiKeys, revokeApiKey, type Actor } from "../../services/api-keys";
import { IMPORT_FILES, importDataset } from "../../services/imports";
import { requireRole } from "../../auth";
import type { Resolvers } from "../__generated__/resolvers";
import { importTarget } from "../import-root";
import { dbOf, type GraphQLContext } from "../context";
import { pageRequest, toPage, type ListOrder } from "../pagination";
import { globalId, NODE_TYPES, parseGlobalId, parseId, type NodeType } from "../global-id";

/** The audit trail's subject types that are Nodes: their subjectId is given as a global id. */
const SUBJECT_TYPES: Readonly<Record<string, NodeType>> = {
  plan: "Plan",
  constraint_set: "ConstraintSet",
  api_key: "ApiKey",
};

/** The stored subject id of a filter given as a global id or a bare id. */
const subjectKey = (value: string) =>
  NODE_TYPES.some((t) => value.startsWith(`${t}:`)) ? parseGlobalId(value, "subjectId").key : value;

const AUDIT_ORDER: ListOrder = { name: "ID:DESC", key: ["bigint"] };

const actorOf = (ctx: GraphQLContext): Actor => ({
  name: ctx.caller.name,
  keyId: ctx.caller.keyId,
});

export const adminResolvers: Resolvers = {
  Query: {
    viewer: (_p, _a, ctx) => ({ name: ctx.caller.name, role: ctx.caller.role }),
    apiKeys: (_p, _a, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      return listApiKeys(ctx.prisma);
    },
    auditEvents: async (_p, { subjectType, subjectId, ...args }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const req = pageRequest(args, AUDIT_ORDER, ctx.budget, "Query.auditEvents");
      const { rows, totalCount } = await auditEventPage(
        ctx.pool,
        {
          subjectType: subjectType ?? undefined,
          subjectId: subjectId != null ? subjectKey(subjectId) : undefined,
        },
        req,
      );
      return { ...toPage(rows, req, (e) => [e.id]), totalCount };
    },
  },
  ApiKey: {
    id: (k) => globalId("ApiKey", k.id),
  },
  AuditEvent: {
    id: (e) => String(e.id),
    subjectId: (e) => {
      const type = SUBJECT_TYPES[e.subjectType];
      return type ? globalId(type, e.subjectId) : e.subjectId;
    },
  },
  Mutation: {
    createApiKey: (_p, { name, role }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      return createApiKey(dbOf(ctx), name, role, actorOf(ctx));
    },
    revokeApiKey: async (_p, { id }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const key = await revokeApiKey(dbOf(ctx), parseId(id, "id", "ApiKey"), actorOf(ctx));
      // The NOTIFY reaches this process too, a moment later; the next request may come sooner.
      ctx.invalidateKeys?.();
      ctx.log.info({ keyId: key.id }, "API key revoked");
      return key;
    },
    importDataset: async (_p, { dir }, ctx) => {
      requireRole(ctx.caller, "ADMIN");
      const target = await importTarget(ctx, dir, "dir", IMPORT_FILES);
      const r = await importDataset(ctx.pool, target.path).catch((e: unknown) => {
        throw target.hide(e);
      });
      ctx.log.info({ dir, importRunId: r.runId }, "dataset imported");
      return {
        importRunId: String(r.runId),
        directory: target.shown(r.directory),
        changed: r.files.some((f) => f.inserted > 0 || f.updated > 0),
        rowsRead: r.rowsRead,
        files: r.files,
        seconds: r.seconds,
      };
    },
  },
};
