// The HTTP side of the API: Apollo Server 5 on Express 5 with health and readiness endpoints, a
// request-size limit, query depth / cost / alias limits, a row budget and a time cap per request,
// API-key auth and error codes.
import { readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import express from "express";
import {
  GraphQLError,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import type { Pool } from "pg";
import type { Logger } from "pino";
import type { PrismaClient } from "../db/prisma";
import type { GraphQLContext } from "../graphql/context";
import { formatError, limitGraphQLError, limitResponse } from "../graphql/errors";
import { IMPORT_ROOT_REQUIRED } from "../graphql/import-root";
import { createLoaders } from "../graphql/loaders";
import { DEFAULT_ASSUMED_LIST_SIZE } from "../graphql/query-cost";
import { LimitExceededError, RequestBudget } from "../graphql/request-budget";
import { resolvers } from "../graphql/resolvers";
import { RunChangeListener } from "../services/run-updates";
import { UnauthenticatedError } from "../auth";
import { Authenticator, KeyRevocationListener } from "./auth";
import { requestLimitsPlugin } from "./limits";
import { mountIde } from "./ide";
import { RateLimiter } from "./rate-limit";
import { refuseHttpSubscriptions, startSubscriptionServer } from "./subscriptions";

export const SCHEMA_FILE = path.join(__dirname, "..", "..", "schema.graphql");

export interface ApiLimits {
  /** largest request body */
  maxBodyBytes: number;
  maxDepth: number;
  /** objects a query's response may hold, computed with its variables before it runs */
  maxCost: number;
  maxAliases: number;
  /** rows one request may read, counted while it runs */
  maxRows: number;
  /** wall-clock time a query may take before it is answered REQUEST_TIMEOUT */
  requestTimeoutMs: number;
  /** requests per second per API key once its burst is spent; 0 = no rate limit */
  rateLimitPerSecond: number;
  /** requests one key may send at once */
  rateBurst: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  maxBodyBytes: 1_000_000,
  // A connection puts edges and node between a field and its rows: plans → assignments → customer
  // → its assignments, each a connection, reaches depth 11.
  maxDepth: 12,
  // The largest documented page (1,000 assignments with customer, offer and channel) costs 4,001:
  // five of those fit, a page of pages (1,000 × 1,000) does not by three orders of magnitude.
  maxCost: 20_000,
  maxAliases: 20,
  // Twenty pages of 1,000 rows, about 4 MB of JSON: more than any screen or export page needs,
  // little enough that one request cannot hold the event loop for long.
  maxRows: 20_000,
  // A page of 1,000 takes well under a second; ten seconds covers a loaded server and the slowest
  // comparisons, and frees the connection of a request nobody is waiting for any more.
  requestTimeoutMs: 10_000,
  // Per key, shared by all server processes. A dashboard or script paging through a plan sends a
  // few requests a second; 50 a second with bursts of 200 never stops one, and stops a loop that
  // floods the server (the test suite's busiest file stays below it).
  rateLimitPerSecond: 50,
  rateBurst: 200,
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
  /** GraphiQL at GET /graphql for browsers; default: when NODE_ENV is development */
  ide?: boolean;
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
  /** the limits in force, defaults filled in */
  limits: ApiLimits;
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
  const importRootRequired = await checkImportRoot(opts);
  const revocations = new KeyRevocationListener(pool.options, auth, log);
  const rateLimiter = new RateLimiter(pool, {
    ratePerSecond: limits.rateLimitPerSecond,
    burst: limits.rateBurst,
  });
  const runChanges = new RunChangeListener(pool.options, log);
  await revocations.start();
  await runChanges.start();

  const introspection = opts.introspection ?? process.env.NODE_ENV !== "production";
  // one schema for HTTP and for subscriptions over WebSocket, with the same limits
  const schema = makeExecutableSchema({ typeDefs: readFileSync(SCHEMA_FILE, "utf8"), resolvers });
  const validationRules = [
    maxDepthRule({ n: limits.maxDepth, ...reportRejection }),
    maxAliasesRule({ n: limits.maxAliases, ...reportRejection }),
  ];
  const subscriptions = startSubscriptionServer({
    server,
    schema,
    validationRules,
    auth,
    rateLimiter,
    runChanges,
    pool,
    prisma,
    log,
    limits,
    showSuggestions: introspection,
  });
  const apollo = apolloServer(
    schema,
    validationRules,
    introspection,
    server,
    subscriptions,
    log,
    limits,
  );
  await apollo.start();

  if (opts.ide ?? process.env.NODE_ENV === "development") mountIde(app);
  mountHealth(app, opts);

  const context = contextOf(opts, { auth, rateLimiter, runChanges, importRootRequired });

  app.use(
    "/graphql",
    express.json({ limit: limits.maxBodyBytes }),
    graphqlHandler(apollo, limits, context),
  );
  app.use(bodyErrors(limits));

  return {
    server,
    apollo,
    limits,
    listen: (port, host = "127.0.0.1") =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          const addr = server.address();
          resolve(typeof addr === "object" && addr ? addr.port : port);
        });
      }),
    close: async () => {
      await apollo.stop();
      await revocations.stop();
      await runChanges.stop();
    },
  };
}

/** Warns when the import root is missing (required in production); says whether it is required. */
async function checkImportRoot(opts: AppOptions): Promise<boolean> {
  const importRootRequired = opts.requireImportRoot ?? process.env.NODE_ENV === "production";
  if (opts.importRoot) {
    // a warning, not a refusal to start: the root may be a volume mounted later (docker-compose)
    const ok = await stat(opts.importRoot).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!ok) opts.log.warn({ importRoot: opts.importRoot }, "the import root is not a directory");
  } else if (importRootRequired) opts.log.warn(IMPORT_ROOT_REQUIRED);
  return importRootRequired;
}

function apolloServer(
  schema: GraphQLSchema,
  validationRules: ValidationRule[],
  introspection: boolean,
  server: http.Server,
  subscriptions: ReturnType<typeof startSubscriptionServer>,
  log: Logger,
  limits: ApiLimits,
): ApolloServer<GraphQLContext> {
  return new ApolloServer<GraphQLContext>({
    schema,
    introspection,
    includeStacktraceInErrorResponses: false,
    validationRules,
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
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      // No page from a CDN (the IDE is ours, src/server/ide.ts), and nothing sent to Apollo's
      // cloud even with APOLLO_KEY set: the server makes no outbound calls.
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      { serverWillStart: async () => ({ drainServer: () => subscriptions.dispose() }) },
      refuseHttpSubscriptions,
      requestLog(log),
      requestLimitsPlugin({ maxCost: limits.maxCost, assumedListSize: DEFAULT_ASSUMED_LIST_SIZE }),
    ],
  });
}

/** Liveness, and readiness: accepting requests and the database answering. */
function mountHealth(app: express.Express, opts: AppOptions): void {
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    if (opts.isAccepting && !opts.isAccepting()) {
      res.status(503).json({ status: "stopping" });
      return;
    }
    try {
      await opts.pool.query("SELECT 1 FROM graphile_worker.jobs LIMIT 0");
      res.json({ status: "ready" });
    } catch {
      res.status(503).json({ status: "database unavailable" });
    }
  });
}

/** Who calls (401 otherwise), within their rate (429 otherwise), with what. */
function contextOf(
  opts: AppOptions,
  deps: {
    auth: Authenticator;
    rateLimiter: RateLimiter;
    runChanges: RunChangeListener;
    importRootRequired: boolean;
  },
): (req: express.Request, budget: RequestBudget) => Promise<GraphQLContext> {
  const { pool, prisma, log } = opts;
  const { auth, rateLimiter, runChanges, importRootRequired } = deps;
  return async (req: express.Request, budget: RequestBudget): Promise<GraphQLContext> => {
    let caller;
    try {
      caller = await auth.authenticate(req.headers.authorization);
    } catch (e) {
      if (!(e instanceof UnauthenticatedError)) throw e;
      throw new GraphQLError(e.message, {
        extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
      });
    }
    try {
      await rateLimiter.take(caller.keyId);
    } catch (e) {
      if (e instanceof LimitExceededError) throw limitGraphQLError(e);
      throw e;
    }
    return {
      caller,
      pool,
      prisma,
      loaders: createLoaders(pool, prisma),
      log: log.child({ key: caller.name }),
      importRoot: opts.importRoot,
      importRootRequired,
      budget,
      runChanges,
      invalidateKeys: () => auth.clear(),
    };
  };
}

/**
 * Apollo's Express integration, plus the time cap: a query still running when its time is up
 * is answered REQUEST_TIMEOUT at once. Its resolvers stop at the next field (the budget is
 * expired); a database statement already running finishes in the background.
 */
function graphqlHandler(
  apollo: ApolloServer<GraphQLContext>,
  limits: ApiLimits,
  context: (req: express.Request, budget: RequestBudget) => Promise<GraphQLContext>,
): express.RequestHandler {
  return async (req: express.Request, res: express.Response, next: express.NextFunction) => {
    const budget = new RequestBudget(limits.maxRows, limits.requestTimeoutMs);
    const timer = setTimeout(() => {
      if (!budget.timeCapped || res.headersSent) return;
      budget.expire();
      const refusal = limitResponse(budget.timeoutError());
      res.status(refusal.status).set(refusal.headers).json(refusal.body);
    }, limits.requestTimeoutMs);
    try {
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers))
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: req.method.toUpperCase(),
          headers,
          search: new URL(req.originalUrl, "http://localhost").search,
          body: req.body as unknown,
        },
        context: () => context(req, budget),
      });
      if (res.headersSent) return;
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === "complete") {
        res.send(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (e) {
      next(e);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Body-parser errors (too large, bad JSON) as JSON with a code, not an HTML page. */
function bodyErrors(limits: ApiLimits): express.ErrorRequestHandler {
  return (
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
