// A dashboard in the terminal: the plans, then one plan's KPIs, constraint report, offer × channel
// table and first page of assignments; a plan still running is followed live until it ends.
//   npx tsx examples/dashboard-client/src/main.ts --url http://127.0.0.1:4000/graphql --key <secret>
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { createDashboardClient, type DashboardClient } from "./client";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:4000/graphql" },
    key: { type: "string", default: process.env.OFFERPLAN_API_KEY },
    plan: { type: "string" },
    "page-size": { type: "string", default: "10" },
  },
});

const money = (n: number | null | undefined) =>
  n === null || n === undefined ? "–" : n.toLocaleString("en", { maximumFractionDigits: 2 });
// tables show two decimals: enough to read a dashboard, and the API keeps the full values
const round = (n: number | null | undefined) =>
  n === null || n === undefined ? n : Math.round(n * 100) / 100;

async function showPlan(client: DashboardClient, id: string, pageSize: number): Promise<void> {
  const plan = await client.planDashboard(id);
  console.log(
    `\n${[plan.id, plan.name].filter(Boolean).join(" ")} (${plan.method}, ${plan.status})`,
  );
  if (!plan.kpis) return;
  const k = plan.kpis;
  console.log(
    `expected return ${money(k.expectedReturn)}, cost ${money(k.cost)}, ROI ${money(k.roi)}, ` +
      `${k.contacts} contacts, gap ${money(k.gap)}`,
  );
  console.log("\nConstraint report");
  console.table(
    plan.constraintReport.map((r) => ({
      name: r.name,
      activity: round(r.activity),
      bound: round(r.bound),
      slack: round(r.slack),
      dual: round(r.dual),
      binding: r.binding,
    })),
  );
  console.log("Offer × channel");
  console.table(
    plan.offerChannelFrequencies.map((f) => ({
      offer: f.offer.id,
      channel: f.channel.id,
      contacts: f.contacts,
      share: `${(f.share * 100).toFixed(1)}%`,
      expectedReturn: round(f.expectedReturn),
    })),
  );
  const first = await client.assignmentPages(id, pageSize).next();
  if (first.done) return;
  console.log(`Assignments: the first ${pageSize} of ${first.value.totalCount}`);
  console.table(
    first.value.edges.map(({ node: a }) => ({
      customer: a.customer.id,
      offer: a.offer.id,
      channel: a.channel.id,
      expectedReturn: round(a.expectedReturn),
    })),
  );
}

async function main(): Promise<void> {
  if (!values.key) throw new Error("--key (or OFFERPLAN_API_KEY) is required: an API key's secret");
  const pageSize = Number(values["page-size"]);
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new Error(`--page-size must be a positive integer, got ${values["page-size"]}`);
  const client = createDashboardClient({
    url: values.url,
    apiKey: values.key,
    webSocketImpl: WebSocket,
  });
  const plans = await client.listPlans({ first: 10 });
  console.log(`${plans.totalCount} plans, newest first`);
  console.table(
    plans.edges.map(({ node: p }) => ({
      id: p.id,
      name: p.name,
      status: p.status,
      contacts: p.kpis?.contacts,
      expectedReturn: round(p.kpis?.expectedReturn),
    })),
  );
  const id = values.plan ?? plans.edges[0]?.node.id;
  if (!id) return;
  for await (const state of client.followPlan(id))
    console.log(
      `${state.id}: ${state.status} ${state.phase ?? ""} ${Math.round(state.progress * 100)}%`,
    );
  await showPlan(client, id, pageSize);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
