// Enforcement of the per-request limits (ApiLimits in app.ts) as one Apollo plugin: the query cost
// before execution, the row budget and the deadline while fields resolve, and the answer a
// refused request gets.
import type { ApolloServerPlugin } from "@apollo/server";
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import type { GraphQLContext } from "../graphql/context";
import { limitHttpStatus, LIMIT_CODES } from "../graphql/errors";
import { operationCost } from "../graphql/query-cost";
import { fmt, LimitExceededError } from "../graphql/request-budget";

export function requestLimitsPlugin(opts: {
  maxCost: number;
  assumedListSize: number;
}): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema, contextValue }) {
          if (!operation) return;
          // Mutations are not cut off: an import of millions of rows legitimately takes minutes,
          // and stopping it half-way would help nobody (it is ADMIN-only and transactional).
          if (operation.operation !== "query") contextValue.budget.timeCapped = false;
          checkOperationCost(schema, document, operation, request.variables, opts);
        },
        async executionDidStart() {
          return {
            willResolveField({ info, contextValue }) {
              const budget = contextValue.budget;
              budget.check();
              // Fields with `first` book their page in pageSize() before reading it, and a
              // connection's edges are that page; any other list is booked once it is read.
              if (
                info.fieldName === "edges" ||
                info.parentType.getFields()[info.fieldName]?.args.some((a) => a.name === "first")
              )
                return;
              return (_error, result) => {
                if (Array.isArray(result)) budget.addRows(result.length);
              };
            },
          };
        },
        async willSendResponse({ response }) {
          // A request over a limit is refused as a whole with one error: partial data with a
          // cascade of the same error at every field would only be harder to read.
          if (response.body.kind !== "single") return;
          const errors = response.body.singleResult.errors;
          const refusal = errors?.find((e) => LIMIT_CODES.has(String(e.extensions?.code)));
          if (!refusal) return;
          const executed = "data" in response.body.singleResult;
          response.body.singleResult = { ...(executed ? { data: null } : {}), errors: [refusal] };
          const code = String(refusal.extensions!.code);
          response.http.status = limitHttpStatus(code);
          const retry = refusal.extensions!.retryAfter;
          if (typeof retry === "number") response.http.headers.set("retry-after", String(retry));
        },
      };
    },
  };
}

/** Refuses (COST_LIMIT_EXCEEDED) an operation that could return more objects than maxCost. */
export function checkOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  opts: { maxCost: number; assumedListSize: number },
): void {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const cost = operationCost(schema, operation, fragments, variables, {
    assumedListSize: opts.assumedListSize,
  });
  if (cost !== null && cost > opts.maxCost)
    throw new LimitExceededError(
      "COST_LIMIT_EXCEEDED",
      `this query could return ${fmt(cost)} objects, over the limit of ` +
        `${fmt(opts.maxCost)} per request (page sizes multiply: each list's first × ` +
        `the lists above it); ask for smaller pages (first), nest fewer pages, or ` +
        `split it into several requests`,
      opts.maxCost,
      cost,
    );
}
