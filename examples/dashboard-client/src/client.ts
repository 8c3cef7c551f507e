// A small typed client for a dashboard: queries over HTTP with graphql-request, live plan state
// over WebSocket with graphql-ws. Every result type comes from src/gql (generated from the
// documents in ./documents), so nothing here is typed by hand.
import { print } from "graphql";
import { GraphQLClient } from "graphql-request";
import { createClient, type ClientOptions } from "graphql-ws";
import { AssignmentPage, FollowPlan, ListPlans, PlanDashboard, RunPlan } from "./documents";
import type {
  AssignmentPageQuery,
  FollowPlanSubscription,
  ListPlansQueryVariables,
  PlanDashboardQuery,
  RunPlanInput,
} from "./gql/graphql";

export interface DashboardClientOptions {
  /** the API's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql */
  url: string;
  /** an API key's secret (`offerplan apikey create`) */
  apiKey: string;
  /**
   * The WebSocket class for subscriptions. Browsers have one; Node before 22 does not, so pass
   * the `ws` package's there.
   */
  webSocketImpl?: ClientOptions["webSocketImpl"];
}

export type PlanDashboardData = NonNullable<PlanDashboardQuery["plan"]>;
export type AssignmentsPage = NonNullable<AssignmentPageQuery["plan"]>["assignments"];
export type PlanState = FollowPlanSubscription["planUpdated"];

/** The same endpoint over WebSocket: the server takes subscriptions on its /graphql path. */
export function webSocketUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, "ws");
}

export function createDashboardClient(opts: DashboardClientOptions) {
  const authorization = `Bearer ${opts.apiKey}`;
  const http = new GraphQLClient(opts.url, { headers: { authorization } });

  const assignmentsOf = async (id: string, page: AssignmentWindow): Promise<AssignmentsPage> => {
    const { plan } = await http.request(AssignmentPage, { id, ...page });
    if (!plan) throw new Error(`plan ${id} not found`);
    return plan.assignments;
  };

  return {
    /** One page of plans, newest first unless `orderBy` says otherwise. */
    listPlans: async (vars: ListPlansQueryVariables = {}) =>
      (await http.request(ListPlans, vars)).plans,

    /** A plan's KPIs, constraint report and offer × channel table, in one request. */
    planDashboard: async (id: string): Promise<PlanDashboardData> => {
      const { plan } = await http.request(PlanDashboard, { id });
      if (!plan) throw new Error(`plan ${id} not found`);
      return plan;
    },

    /** Queues a plan (needs an ANALYST or ADMIN key); returns it QUEUED. */
    runPlan: async (input: RunPlanInput) => (await http.request(RunPlan, { input })).runPlan,

    /** Every page of a plan's assignments, first to last, `pageSize` rows each. */
    assignmentPages: async function* (id: string, pageSize: number) {
      let after: string | null | undefined;
      for (;;) {
        const page = await assignmentsOf(id, { first: pageSize, after });
        yield page;
        if (!page.pageInfo.hasNextPage) return;
        after = page.pageInfo.endCursor;
      }
    },

    /**
     * The page of `pageSize` rows just before the cursor `before` (a page's startCursor); without
     * it, the last page of all. Page backwards while pageInfo.hasPreviousPage holds.
     */
    previousPage: (id: string, pageSize: number, before?: string | null) =>
      assignmentsOf(id, { last: pageSize, before }),

    /** A plan's state now and at each change; it ends when the plan has ended. */
    followPlan: (id: string) =>
      followPlan({ url: webSocketUrl(opts.url), authorization, impl: opts.webSocketImpl }, id),
  };
}

export type DashboardClient = ReturnType<typeof createDashboardClient>;

interface AssignmentWindow {
  first?: number;
  after?: string | null;
  last?: number;
  before?: string | null;
}

interface SocketOptions {
  url: string;
  authorization: string;
  impl: ClientOptions["webSocketImpl"];
}

// One socket per follow, closed when the plan ends or the caller stops iterating: a dashboard
// follows one running plan at a time, and nothing stays open behind it.
async function* followPlan(socket: SocketOptions, id: string): AsyncGenerator<PlanState> {
  const ws = createClient({
    url: socket.url,
    connectionParams: { authorization: socket.authorization },
    webSocketImpl: socket.impl,
    lazy: true,
    retryAttempts: 0,
  });
  try {
    const results = ws.iterate<FollowPlanSubscription>({
      query: print(FollowPlan),
      variables: { id },
    });
    for await (const result of results) {
      if (result.errors?.length)
        throw new Error(`planUpdated(${id}): ${result.errors.map((e) => e.message).join("; ")}`);
      if (result.data) yield result.data.planUpdated;
    }
  } catch (e) {
    throw socketError(id, e);
  } finally {
    await ws.dispose();
  }
}

/**
 * graphql-ws rejects with the CloseEvent when the server closes the socket (4401: no valid key);
 * an Error that says so reads better in a dashboard's log than "[object Object]".
 */
function socketError(id: string, e: unknown): Error {
  if (e instanceof Error) return e;
  const close = e as { code?: unknown; reason?: unknown };
  return new Error(
    `planUpdated(${id}): the socket was closed (${String(close.code)}: ${String(close.reason)})`,
  );
}
