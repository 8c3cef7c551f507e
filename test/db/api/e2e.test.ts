// The API end to end over HTTP against the real server process (`offerplan serve`, two plan
// workers): import → constraint set → queued plan → reports and pages → revision → second plan →
// comparison.
import {
  createApiKeyWithCli,
  dbId,
  startApiServer,
  type ApiServer,
} from "../../support/api-server";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import {
  failure,
  generatedDataset,
  KPIS,
  ok,
  pollPlan,
  type GeneratedDataset,
  type Kpis,
} from "./helpers";

let db: TestDatabase;
let server: ApiServer;
let data: GeneratedDataset;
let admin: string;

beforeAll(async () => {
  db = await createTestDatabase();
  // The key through the CLI, the way an operator makes the first one.
  [data, server, { secret: admin }] = await Promise.all([
    generatedDataset(4000, 5),
    startApiServer({ databaseUrl: db.url, workers: 2 }),
    createApiKeyWithCli(db.url, "ADMIN", "e2e admin"),
  ]);
});

afterAll(async () => {
  const exit = await server?.stop();
  await db?.drop();
  await data?.remove();
  // A clean SIGTERM shutdown, not a kill after the timeout.
  expect(exit).toEqual({ code: 0, signal: null });
});

const gql = <T>(query: string, variables?: Record<string, unknown>) =>
  server.gql<T>(query, variables, admin);

const CONSTRAINT_SET_PAYLOAD = `created
  constraintSet { id name versions { totalCount edges { node { version } } } latestVersion { id version } }
  version { id version budget definition }`;

interface ConstraintSetPayload {
  created: boolean;
  constraintSet: {
    id: string;
    name: string;
    versions: { totalCount: number; edges: { node: { version: number } }[] };
    latestVersion: { id: string; version: number };
  };
  version: { id: string; version: number; budget: number; definition: Record<string, unknown> };
}

interface PlanReports {
  id: string;
  status: string;
  progress: number;
  phase: string;
  versionNumber: number;
  kpis: Kpis;
  constraintReport: {
    name: string;
    kind: string;
    sense: string;
    activity: number;
    bound: number;
    slack: number;
    dual: number | null;
    binding: boolean;
  }[];
  offerChannelFrequencies: {
    offer: { id: string };
    channel: { id: string };
    contacts: number;
    share: number;
    expectedReturn: number;
    cost: number;
  }[];
  channelProfitability: {
    channel: { id: string };
    contacts: number;
    expectedReturn: number;
    cost: number;
    profit: number;
    roi: number | null;
  }[];
  segmentSummary: { segment: string; contacts: number; expectedReturn: number; cost: number }[];
}

const REPORTS = `query ($id: ID!) {
  plan(id: $id) {
    id status progress phase versionNumber
    ${KPIS}
    constraintReport { name kind sense activity bound slack dual binding }
    offerChannelFrequencies { offer { id: externalId } channel { id: externalId } contacts share expectedReturn cost }
    channelProfitability { channel { id: externalId } contacts expectedReturn cost profit roi }
    segmentSummary { segment contacts expectedReturn cost }
  }
}`;

const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);

describe("the API over HTTP", () => {
  let setId: string;
  let plan1: PlanReports;
  let plan2Id: string;

  it("imports the generated dataset (ADMIN) and summarises it", async () => {
    const { importDataset } = ok(
      await gql<{
        importDataset: { changed: boolean; rowsRead: number; files: { file: string }[] };
      }>(
        `mutation ($dir: String!) {
          importDataset(dir: $dir) { changed rowsRead files { file } }
        }`,
        { dir: data.dir },
      ),
    );
    expect(importDataset.changed).toBe(true);
    expect(importDataset.files.map((f) => f.file).sort()).toEqual(
      ["channels.csv", "customers.csv", "offers.csv", "scores.csv"].sort(),
    );
    const { datasetSummary, channels, offers } = ok(
      await gql<{
        datasetSummary: { customers: number; eligibleOptions: number };
        channels: { id: string }[];
        offers: { id: string }[];
      }>(
        `{ datasetSummary { customers eligibleOptions } channels { id: externalId } offers { id: externalId } }`,
      ),
    );
    expect(datasetSummary.customers).toBe(4000);
    expect(datasetSummary.eligibleOptions).toBeGreaterThan(4000);
    expect(channels.length).toBe(3);
    expect(offers.length).toBe(11);
  });

  it("saves the generated constraints.json as version 1, exactly", async () => {
    const { createConstraintSet: r } = ok(
      await gql<{ createConstraintSet: ConstraintSetPayload }>(
        `mutation ($input: ConstraintSetInput!) {
          createConstraintSet(input: $input) { ${CONSTRAINT_SET_PAYLOAD} }
        }`,
        { input: data.constraints },
      ),
    );
    expect(r.created).toBe(true);
    expect(r.version.version).toBe(1);
    expect(r.version.definition).toEqual(data.constraints);
    expect(r.version.budget).toBe(data.constraints.budget);
    expect(r.constraintSet.name).toBe(data.constraints.name);
    expect(r.constraintSet.latestVersion.id).toBe(r.version.id);
    setId = r.constraintSet.id;
  });

  it("runPlan answers QUEUED at once; the plan then runs to SUCCEEDED", async () => {
    const { runPlan } = ok(
      await gql<{ runPlan: { id: string; status: string; versionNumber: number; kpis: null } }>(
        `mutation ($id: ID!) {
          runPlan(input: { constraintSetId: $id, clusters: 40 }) { id status versionNumber kpis { contacts } }
        }`,
        { id: setId },
      ),
    );
    // The mutation only queues; the run happens in a worker process.
    expect(runPlan.status).toBe("QUEUED");
    expect(runPlan.versionNumber).toBe(1);
    expect(runPlan.kpis).toBeNull();

    const states = await pollPlan(server, admin, runPlan.id, undefined, { intervalMs: 20 });
    for (const s of states) {
      expect(s.progress).toBeGreaterThanOrEqual(0);
      expect(s.progress).toBeLessThanOrEqual(1);
    }
    const order = ["QUEUED", "RUNNING", "SUCCEEDED"];
    const statusIndex = states.map((s) => order.indexOf(s.status));
    expect(statusIndex.every((v, i) => v >= 0 && (i === 0 || v >= statusIndex[i - 1]!))).toBe(true);
    // Progress never goes backwards within a run.
    const progress = states.map((s) => s.progress);
    expect(progress.every((v, i) => i === 0 || v >= progress[i - 1]! - 1e-12)).toBe(true);
    const last = states[states.length - 1]!;
    expect(last).toMatchObject({ status: "SUCCEEDED", progress: 1, phase: "DONE", error: null });
    expect(last.startedAt).not.toBeNull();
    expect(Date.parse(last.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(last.startedAt!));

    plan1 = ok(await gql<{ plan: PlanReports }>(REPORTS, { id: runPlan.id })).plan;
  });

  it("reports KPIs, the constraint report with duals, frequencies, channels and segments that agree", () => {
    const { kpis } = plan1;
    expect(kpis.contacts).toBeGreaterThan(100);
    expect(kpis.cost).toBeLessThanOrEqual(data.constraints.budget + 1e-6);
    expect(kpis.expectedReturn).toBeGreaterThan(kpis.baselineExpectedReturn!);
    expect(kpis.upperBound).toBeGreaterThanOrEqual(kpis.expectedReturn - 1e-6);

    const budget = plan1.constraintReport.find((r) => r.kind === "BUDGET")!;
    expect(budget).toMatchObject({ name: "budget", sense: "LE", binding: true });
    expect(budget.bound).toBe(data.constraints.budget);
    expect(budget.activity).toBeCloseTo(kpis.cost, 6);
    expect(budget.dual).toBeGreaterThan(0);
    for (const r of plan1.constraintReport) {
      if (r.sense === "LE") expect(r.activity).toBeLessThanOrEqual(r.bound + 1e-6);
      if (r.sense === "GE") expect(r.activity).toBeGreaterThanOrEqual(r.bound - 1e-6);
    }
    expect(plan1.constraintReport.map((r) => r.kind)).toEqual(
      expect.arrayContaining(["BUDGET", "HURDLE", "OFFERS_PER_CUSTOMER"]),
    );

    const freq = plan1.offerChannelFrequencies;
    expect(sum(freq, (f) => f.contacts)).toBe(kpis.contacts);
    expect(sum(freq, (f) => f.share)).toBeCloseTo(1, 9);
    expect(sum(freq, (f) => f.expectedReturn)).toBeCloseTo(kpis.expectedReturn, 4);
    expect(new Set(freq.map((f) => `${f.offer.id}/${f.channel.id}`)).size).toBe(freq.length);

    const ch = plan1.channelProfitability;
    expect(ch.map((c) => c.channel.id).sort()).toEqual(["branch", "call_centre", "mail"]);
    expect(sum(ch, (c) => c.contacts)).toBe(kpis.contacts);
    expect(sum(ch, (c) => c.cost)).toBeCloseTo(kpis.cost, 4);
    for (const c of ch) {
      expect(c.profit).toBeCloseTo(c.expectedReturn - c.cost, 6);
      const byKpi = kpis.contactsByChannel.find((k) => k.channel.id === c.channel.id);
      expect(c.contacts).toBe(byKpi?.contacts ?? 0);
    }

    const seg = plan1.segmentSummary;
    expect(seg.length).toBeGreaterThan(1);
    expect(sum(seg, (s) => s.contacts)).toBe(kpis.contacts);
    expect(sum(seg, (s) => s.expectedReturn)).toBeCloseTo(kpis.expectedReturn, 4);
  });

  it("pages through all assignments: no duplicates, totalCount = contacts, sums = KPIs", async () => {
    type Page = {
      plan: {
        assignments: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          edges: {
            cursor: string;
            node: {
              customer: { id: string; segment: string | null };
              offer: { id: string };
              channel: { id: string };
              expectedReturn: number;
              cost: number;
              group: string;
            };
          }[];
        };
      };
    };
    const query = `query ($id: ID!, $first: Int, $after: String) {
      plan(id: $id) { assignments(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { customer { id: externalId segment } offer { id: externalId } channel { id: externalId } expectedReturn cost group } }
      } }
    }`;
    const size = Math.ceil(plan1.kpis.contacts / 3.5); // four pages, the last one partial
    const nodes: Page["plan"]["assignments"]["edges"][number]["node"][] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { plan } = ok(await gql<Page>(query, { id: plan1.id, first: size, after })) as Page;
      const a = plan.assignments;
      expect(a.totalCount).toBe(plan1.kpis.contacts);
      expect(a.edges.length).toBeLessThanOrEqual(size);
      nodes.push(...a.edges.map((e) => e.node));
      pages++;
      if (!a.pageInfo.hasNextPage) break;
      expect(a.edges.length).toBe(size);
      expect(a.pageInfo.endCursor).toBe(a.edges[a.edges.length - 1]!.cursor);
      after = a.pageInfo.endCursor;
    }
    expect(pages).toBe(4);
    expect(nodes.length).toBe(plan1.kpis.contacts);
    // one offer per customer in this constraint set, so the customer alone is a key
    expect(new Set(nodes.map((n) => n.customer.id)).size).toBe(nodes.length);
    expect(sum(nodes, (n) => n.expectedReturn)).toBeCloseTo(plan1.kpis.expectedReturn, 4);
    expect(sum(nodes, (n) => n.cost)).toBeCloseTo(plan1.kpis.cost, 4);
    expect(nodes.every((n) => n.group === "TREATMENT" && n.customer.segment !== null)).toBe(true);
    for (const f of plan1.offerChannelFrequencies)
      expect(
        nodes.filter((n) => n.offer.id === f.offer.id && n.channel.id === f.channel.id),
      ).toHaveLength(f.contacts);

    const tooBig = failure(await gql(query, { id: plan1.id, first: 1001 }));
    expect(tooBig).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
    const negative = failure(await gql(query, { id: plan1.id, first: -1 }));
    expect(negative).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
  });

  it("sorts assignments by expected return and pages that order both ways, as SQL orders it", async () => {
    const { rows } = await db.pool.query<{ customer: string }>(
      `SELECT c.external_id AS customer FROM plan_assignment a JOIN customer c ON c.id = a.customer_id
       WHERE a.plan_id = $1 ORDER BY a.expected_return DESC, a.customer_id DESC, a.offer_id DESC`,
      [dbId(plan1.id)],
    );
    interface Conn {
      totalCount: number;
      edges: { node: { customer: { id: string }; expectedReturn: number } }[];
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        startCursor: string | null;
        endCursor: string | null;
      };
    }
    const query = `query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      plan(id: $id) { assignments(first: $first, after: $after, last: $last, before: $before,
                                  orderBy: { field: EXPECTED_RETURN, direction: DESC }) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { node { customer { id: externalId } expectedReturn } }
      } }
    }`;
    const page = async (v: Record<string, unknown>) =>
      ok(await gql<{ plan: { assignments: Conn } }>(query, { id: plan1.id, ...v })).plan
        .assignments;
    const size = Math.ceil(rows.length / 3.5);
    const forward: string[] = [];
    let after: string | null = null;
    for (;;) {
      const a = await page({ first: size, after });
      expect(a.pageInfo.hasPreviousPage).toBe(after !== null);
      forward.push(...a.edges.map((e) => e.node.customer.id));
      if (!a.pageInfo.hasNextPage) break;
      after = a.pageInfo.endCursor;
    }
    expect(forward).toEqual(rows.map((r) => r.customer));
    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const a = await page({ last: size, before });
      expect(a.totalCount).toBe(rows.length);
      backward.unshift(...a.edges.map((e) => e.node.customer.id));
      if (!a.pageInfo.hasPreviousPage) break;
      before = a.pageInfo.startCursor;
    }
    expect(backward).toEqual(forward);
  });

  it("revises the set: a changed definition is version 2, an identical one creates nothing", async () => {
    const revise = `mutation ($id: ID!, $input: ConstraintSetInput!) {
      reviseConstraintSet(id: $id, input: $input) { ${CONSTRAINT_SET_PAYLOAD} }
    }`;
    const input = { ...data.constraints, budget: data.constraints.budget * 1.25 };
    const first = ok(
      await gql<{ reviseConstraintSet: ConstraintSetPayload }>(revise, { id: setId, input }),
    ).reviseConstraintSet;
    expect(first.created).toBe(true);
    expect(first.version.version).toBe(2);
    expect(first.version.budget).toBe(input.budget);
    expect(first.constraintSet.versions.edges.map((e) => e.node.version)).toEqual([2, 1]);
    expect(first.constraintSet.versions.totalCount).toBe(2);

    const again = ok(
      await gql<{ reviseConstraintSet: ConstraintSetPayload }>(revise, { id: setId, input }),
    ).reviseConstraintSet;
    expect(again.created).toBe(false);
    expect(again.version.id).toBe(first.version.id);
    expect(again.constraintSet.versions.edges.map((e) => e.node.version)).toEqual([2, 1]);
  });

  it("runs the revised set as plan version 2 within its larger budget", async () => {
    const { runPlan } = ok(
      await gql<{ runPlan: { id: string; status: string; versionNumber: number } }>(
        `mutation ($id: ID!) { runPlan(input: { constraintSetId: $id, clusters: 40 }) { id status versionNumber } }`,
        { id: setId },
      ),
    );
    expect(runPlan).toMatchObject({ status: "QUEUED", versionNumber: 2 });
    plan2Id = runPlan.id;
    await pollPlan(server, admin, plan2Id);
    const { plan } = ok(
      await gql<{
        plan: { kpis: Kpis; constraintSetVersion: { version: number; budget: number } };
      }>(`query ($id: ID!) { plan(id: $id) { ${KPIS} constraintSetVersion { version budget } } }`, {
        id: plan2Id,
      }),
    );
    expect(plan.constraintSetVersion.version).toBe(2);
    expect(plan.kpis.cost).toBeLessThanOrEqual(plan.constraintSetVersion.budget + 1e-6);
    expect(plan.kpis.cost).toBeGreaterThan(data.constraints.budget);

    const { plans } = ok(
      await gql<{ plans: { totalCount: number; edges: { node: { id: string } }[] } }>(
        `query ($set: ID!) { plans(filter: { constraintSetId: $set, status: [SUCCEEDED] }) {
          totalCount edges { node { id } } } }`,
        { set: setId },
      ),
    );
    expect(plans.totalCount).toBe(2);
    expect(plans.edges.map((e) => e.node.id)).toEqual([plan2Id, plan1.id]); // newest first
  });

  it("refetches objects by global id with node and nodes, each as its own type", async () => {
    const { node, nodes } = ok(
      await gql<{
        node: { __typename: string; id: string; status: string };
        nodes: ({ __typename: string; id: string; name?: string; externalId?: string } | null)[];
      }>(
        `query ($plan: ID!, $ids: [ID!]!) {
          node(id: $plan) { __typename id ... on Plan { status } }
          nodes(ids: $ids) { __typename id ... on ConstraintSet { name } ... on Channel { externalId } }
        }`,
        { plan: plan1.id, ids: [setId, "Channel:mail", "Plan:999999"] },
      ),
    );
    expect(plan1.id).toBe(`Plan:${dbId(plan1.id)}`);
    expect(node).toEqual({ __typename: "Plan", id: plan1.id, status: "SUCCEEDED" });
    expect(nodes).toEqual([
      { __typename: "ConstraintSet", id: setId, name: data.constraints.name },
      { __typename: "Channel", id: "Channel:mail", externalId: "mail" },
      null,
    ]);
  });

  it("lists constraint sets as a connection, sorted by name either way", async () => {
    const list = async (direction: string) =>
      ok(
        await gql<{
          constraintSets: { totalCount: number; edges: { node: { name: string } }[] };
        }>(`{ constraintSets(orderBy: { field: NAME, direction: ${direction} }) {
          totalCount edges { node { name } } } }`),
      ).constraintSets;
    const asc = await list("ASC");
    const names = asc.edges.map((e) => e.node.name);
    expect(asc.totalCount).toBe(names.length);
    expect(names).toEqual(
      [...names].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase())),
    );
    expect((await list("DESC")).edges.map((e) => e.node.name)).toEqual([...names].reverse());
  });

  it("compares the two plans: the expected-return delta is b − a", async () => {
    const { comparePlans } = ok(
      await gql<{
        comparePlans: {
          a: { id: string; status: string };
          b: { id: string; status: string };
          kpiDeltas: {
            expectedReturn: { a: number | null; b: number | null; delta: number | null };
          };
        };
      }>(
        `query ($a: ID!, $b: ID!) { comparePlans(a: $a, b: $b) {
          a { id status } b { id status } kpiDeltas { expectedReturn { a b delta } } } }`,
        { a: plan1.id, b: plan2Id },
      ),
    );
    expect(comparePlans.a).toEqual({ id: plan1.id, status: "SUCCEEDED" });
    expect(comparePlans.b).toEqual({ id: plan2Id, status: "SUCCEEDED" });

    const b = ok(
      await gql<{ plan: { kpis: Kpis } }>(`query ($id: ID!) { plan(id: $id) { ${KPIS} } }`, {
        id: plan2Id,
      }),
    ).plan.kpis;
    const er = comparePlans.kpiDeltas.expectedReturn;
    expect(er.a).toBeCloseTo(plan1.kpis.expectedReturn, 6);
    expect(er.b).toBeCloseTo(b.expectedReturn, 6);
    expect(er.delta).toBeCloseTo(b.expectedReturn - plan1.kpis.expectedReturn, 6);
  });
});
