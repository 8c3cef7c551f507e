// The HTTP side of the API: Apollo Server 5 on Express 5 with health and readiness endpoints, a
// request-size limit, query depth / cost / alias limits, API-key auth and error codes.
import { readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import express from "express";
import { GraphQLError, type ValidationContext } from "graphql";
import type { Pool } from "pg";
import type { Logger } from "pino";
import type { PrismaClient } from "../db/prisma";
import type { GraphQLContext } from "../graphql/context";
import { formatError } from "../graphql/errors";
import { IMPORT_ROOT_REQUIRED } from "../graphql/import-root";
import { createLoaders } from "../graphql/loaders";
import { resolvers } from "../graphql/resolvers";
import { Authenticator, UnauthenticatedError } from "./auth";

export const SCHEMA_FILE = path.join(__dirname, "..", "..", "schema.graphql");

export interface ApiLimits {
  /** largest request body */
  maxBodyBytes: number;
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  maxBodyBytes: 1_000_000,
  maxDepth: 10,
  maxCost: 20_000,
  maxAliases: 20,
};

// The armor rules throw out of graphql-js validation by default, which Apollo answers as an
// internal error; reported instead, a rejection is an ordinary GRAPHQL_VALIDATION_FAILED (400).
const reportRejection = {
  propagateOnRejection: false,
  onReject: [(ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(err)],
};

export interface AppOptions {
  pool: Pool;
  prisma: PrismaClient;
  log: Logger;
  introspection?: boolean;
  limits?: Partial<ApiLimits>;
  /** imports read only below this directory */
  importRoot?: string;
  /** refuse imports when there is no import root; default: when NODE_ENV is production */
  requireImportRoot?: boolean;
  /** readiness beyond the database: false while shutting down */
  isAccepting?: () => boolean;
}

export interface Api {
  server: http.Server;
  apollo: ApolloServer<GraphQLContext>;
  /** listens; resolves to the port (0 picks a free one) */
  listen(port: number, host?: string): Promise<number>;
  /** stops taking requests, finishes those in flight */
  close(): Promise<void>;
}

export async function createApi(opts: AppOptions): Promise<Api> {
  const { pool, prisma, log } = opts;
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const app = express();
  app.disable("x-powered-by");
  const server = http.createServer(app);
  const auth = new Authenticator(pool);
  const importRootRequired = opts.requireImportRoot ?? process.env.NODE_ENV === "production";
  if (opts.importRoot) {
    // a warning, not a refusal to start: the root may be a volume mounted later (docker-compose)
    const ok = await stat(opts.importRoot).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!ok) log.warn({ importRoot: opts.importRoot }, "the import root is not a directory");
  } else if (importRootRequired) log.warn(IMPORT_ROOT_REQUIRED);

  const introspection = opts.introspection ?? process.env.NODE_ENV !== "production";
  const apollo = new ApolloServer<GraphQLContext>({
    typeDefs: readFileSync(SCHEMA_FILE, "utf8"),
    resolvers,
    introspection,
    includeStacktraceInErrorResponses: false,
    validationRules: [
      maxDepthRule({ n: limits.maxDepth, ...reportRejection }),
      costLimitRule({ maxCost: limits.maxCost, ...reportRejection }),
      maxAliasesRule({ n: limits.maxAliases, ...reportRejection }),
    ],
    formatError: (formatted, error) =>
      formatError(
        formatted,
        error,
        (e) => {
          const requestId = randomUUID();
          log.error({ err: e, requestId }, "internal error");
          return requestId;
        },
        { hideSuggestions: !introspection },
      ),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer: server }), requestLog(log)],
  });
  await apollo.start();

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    if (opts.isAccepting && !opts.isAccepting()) {
      res.status(503).json({ status: "stopping" });
      return;
    }
    try {
      await pool.query("SELECT 1 FROM graphile_worker.jobs LIMIT 0");
      res.json({ status: "ready" });
    } catch {
      res.status(503).json({ status: "database unavailable" });
    }
  });

  app.use(
    "/graphql",
    express.json({ limit: limits.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        let caller;
        try {
          caller = await auth.authenticate(req.headers.authorization);
        } catch (e) {
          if (!(e instanceof UnauthenticatedError)) throw e;
          throw new GraphQLError(e.message, {
            extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
          });
        }
        return {
          caller,
          pool,
          prisma,
          loaders: createLoaders(pool, prisma),
          log: log.child({ key: caller.name }),
          importRoot: opts.importRoot,
          importRootRequired,
        };
      },
    }),
  );
  // Body-parser errors (too large, bad JSON) as JSON with a code, not an HTML page.
  app.use(
    (
      err: { status?: number; type?: string },
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (!err || typeof err.status !== "number") return next(err);
      const code = err.type === "entity.too.large" ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST";
      const message =
        err.type === "entity.too.large"
          ? `request body over ${limits.maxBodyBytes} bytes`
          : "malformed request body";
      res.status(err.status).json({ errors: [{ message, extensions: { code } }] });
    },
  );

  return {
    server,
    apollo,
    listen: (port, host = "127.0.0.1") =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          const addr = server.address();
          resolve(typeof addr === "object" && addr ? addr.port : port);
        });
      }),
    close: () => apollo.stop(),
  };
}

/** One log line per operation: who, what, how long, how it ended. */
function requestLog(log: Logger): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, operation, errors }) {
          log.info(
            {
              key: contextValue.caller?.name,
              operation: operationName ?? operation?.operation ?? null,
              ms: Math.round((performance.now() - started) * 10) / 10,
              errors: errors?.map((e) => e.extensions?.code ?? "INTERNAL_SERVER_ERROR"),
            },
            "graphql",
          );
        },
      };
    },
  };
}
