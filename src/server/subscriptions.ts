// GraphQL subscriptions over WebSocket (graphql-ws, the graphql-transport-ws protocol) on the
// HTTP server's /graphql path. The API key comes in the connection_init payload
// (`{ authorization: "Bearer <key>" }`) and is read as the HTTP Authorization header is; a socket
// without a valid key is closed with 4401. Only subscriptions run here: queries and mutations
// keep to HTTP, where the time cap and the request log apply. Each subscription passes the same
// depth, alias and cost limits and takes a token of the key's rate limit like an HTTP request.
import type http from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import { randomUUID } from "node:crypto";
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from "graphql";
import type { Context, SubscribePayload } from "graphql-ws";
import { useServer, type Extra } from "graphql-ws/use/ws";
import type { Pool } from "pg";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { type Caller, UnauthenticatedError } from "../auth";
import type { PrismaClient } from "../db/prisma";
import type { GraphQLContext } from "../graphql/context";
import { formatError, toClientError, userError } from "../graphql/errors";
import { createLoaders } from "../graphql/loaders";
import { DEFAULT_ASSUMED_LIST_SIZE } from "../graphql/query-cost";
import { RequestBudget } from "../graphql/request-budget";
import type { RunChanges } from "../services/run-updates";
import type { ApiLimits } from "./app";
import type { Authenticator } from "./auth";
import { checkOperationCost } from "./limits";
import type { RateLimiter } from "./rate-limit";

/** Close code for a missing, unknown or revoked key (graphql-ws's Unauthorized). */
export const CLOSE_UNAUTHORIZED = 4401;
/** WebSocket close reasons are at most 123 bytes. */
const MAX_CLOSE_REASON = 123;

export interface SubscriptionServerOptions {
  server: http.Server;
  schema: GraphQLSchema;
  validationRules: ValidationRule[];
  auth: Authenticator;
  rateLimiter: RateLimiter;
  runChanges: RunChanges;
  pool: Pool;
  prisma: PrismaClient;
  log: Logger;
  limits: ApiLimits;
  /** keep graphql-js's "Did you mean …" guesses (introspection on) */
  showSuggestions: boolean;
}

type WsContext = Context<Record<string, unknown> | undefined, Extra>;

/** The Authorization value of a connection_init payload, whatever the case of its name. */
function authorizationOf(params: Record<string, unknown> | undefined): string | undefined {
  const entry = Object.entries(params ?? {}).find(([k]) => k.toLowerCase() === "authorization");
  return typeof entry?.[1] === "string" ? entry[1] : undefined;
}

export function startSubscriptionServer(opts: SubscriptionServerOptions): {
  dispose(): Promise<void>;
} {
  const { schema, auth, log, limits } = opts;
  // a message is at most as large as an HTTP request's body (ws would take 100 MiB)
  const wss = new WebSocketServer({
    server: opts.server,
    path: "/graphql",
    maxPayload: limits.maxBodyBytes,
  });

  /** The connection's caller; a bad key closes the socket with 4401 and gives null. */
  const authenticate = async (ctx: WsContext): Promise<Caller | null> => {
    try {
      return await auth.authenticate(authorizationOf(ctx.connectionParams));
    } catch (e) {
      if (!(e instanceof UnauthenticatedError)) throw e;
      log.info({ reason: e.message }, "websocket refused");
      ctx.extra.socket.close(CLOSE_UNAUTHORIZED, e.message.slice(0, MAX_CLOSE_REASON));
      return null;
    }
  };

  const format = formatter(log, opts.showSuggestions);

  const server = useServer<Record<string, unknown> | undefined>(
    {
      schema,
      // false also closes the socket (4403), but authenticate has closed it with 4401 first
      onConnect: async (ctx) => (await authenticate(ctx)) !== null,
      onSubscribe: async (ctx, _id, payload) => {
        // again for each subscription: a key revoked since the connection opened stops here
        const caller = await authenticate(ctx);
        if (!caller) return [userError("UNAUTHENTICATED", "the API key is no longer valid")];
        const checked = subscriptionOf(schema, opts.validationRules, payload);
        if (Array.isArray(checked)) return checked;
        const { document, operation } = checked;
        try {
          checkOperationCost(schema, document, operation, payload.variables ?? {}, {
            maxCost: limits.maxCost,
            assumedListSize: DEFAULT_ASSUMED_LIST_SIZE,
          });
          await opts.rateLimiter.take(caller.keyId);
        } catch (e) {
          return refusal(e);
        }
        log.info({ key: caller.name, operation: payload.operationName ?? null }, "subscription");
        const contextValue: GraphQLContext = {
          caller,
          pool: opts.pool,
          prisma: opts.prisma,
          loaders: createLoaders(opts.pool, opts.prisma),
          log: log.child({ key: caller.name }),
          budget: new RequestBudget(limits.maxRows, limits.requestTimeoutMs),
          runChanges: opts.runChanges,
        };
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wss,
  );
  return { dispose: async () => server.dispose() };
}

/** Errors as a client sees them: known ones with their code, internal ones as a request id. */
function formatter(
  log: Logger,
  showSuggestions: boolean,
): (errors: readonly GraphQLError[]) => GraphQLFormattedError[] {
  return (errors) =>
    errors.map((e) =>
      formatError(
        e.toJSON(),
        e,
        (internal) => {
          const requestId = randomUUID();
          log.error({ err: internal, requestId }, "internal error");
          return requestId;
        },
        { hideSuggestions: !showSuggestions },
      ),
    );
}

/** A limit's or the rate limiter's refusal as the answer's errors; anything else is thrown. */
function refusal(e: unknown): readonly GraphQLError[] {
  // formatError gives a known error its code and fields from the error it wraps
  if (!(e instanceof Error) || !toClientError(e)) throw e;
  return [new GraphQLError(e.message, { originalError: e })];
}

/** The subscription a message asks for, parsed and checked; or the errors to answer it with. */
function subscriptionOf(
  schema: GraphQLSchema,
  rules: ValidationRule[],
  payload: SubscribePayload,
): { document: DocumentNode; operation: OperationDefinitionNode } | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (e) {
    return [coded(e as GraphQLError, "GRAPHQL_PARSE_FAILED")];
  }
  const invalid = validate(schema, document, [...specifiedRules, ...rules]);
  if (invalid.length) return invalid.map((e) => coded(e, "GRAPHQL_VALIDATION_FAILED"));
  const operation = getOperationAST(document, payload.operationName);
  if (!operation) return [badRequest("name the operation to run (operationName): none matches")];
  if (operation.operation !== "subscription")
    return [
      badRequest(
        `a ${operation.operation} goes to POST /graphql; this WebSocket runs subscriptions`,
      ),
    ];
  const variables = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    payload.variables ?? {},
  );
  if (variables.errors) return variables.errors.map((e) => coded(e, "BAD_USER_INPUT"));
  return { document, operation };
}

const badRequest = (message: string) =>
  new GraphQLError(message, { extensions: { code: "BAD_REQUEST" } });

/** The error with `code`, unless it has one already (an armor rule's, a limit's). */
function coded(e: GraphQLError, code: string): GraphQLError {
  if (e.extensions?.code) return e;
  return new GraphQLError(e.message, {
    nodes: e.nodes,
    source: e.source,
    positions: e.positions,
    originalError: e.originalError,
    extensions: { ...e.extensions, code },
  });
}

/** Over HTTP a subscription would run as a query and fail inside; it is refused up front. */
export const refuseHttpSubscriptions: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === "subscription")
          throw new GraphQLError(
            "a subscription needs a WebSocket to /graphql (the graphql-transport-ws protocol, " +
              "as graphql-ws speaks it); over HTTP send queries and mutations",
            { extensions: { code: "BAD_REQUEST", http: { status: 400 } } },
          );
      },
    };
  },
};
