// comparePlans and Customer.explanation through GraphQL (Apollo's executeOperation with the
// server's resolvers, error mapping and per-request loaders), checked against numbers computed
// here in JS from the plans' own rows: assignments, constraint reports, eligible options.
import { createDb } from "../../../src/services/db-handles";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ApolloServer } from "@apollo/server";
import pino from "pino";
import { createPrisma, type PrismaClient } from "../../../src/db/prisma";
import { writeDataset } from "../../../src/generate";
import type { GraphQLContext } from "../../../src/graphql/context";
import { formatError } from "../../../src/graphql/errors";
import { createLoaders } from "../../../src/graphql/loaders";
import { RequestBudget } from "../../../src/graphql/request-budget";
import { resolvers } from "../../../src/graphql/resolvers";
import { importDataset } from "../../../src/ingest";
import { saveConstraintSetByName } from "../../../src/services/constraint-sets";
import { createPlan, executePlan } from "../../../src/services/plans";
import { createTestDatabase, type TestDatabase } from "../../support/db";

let db: TestDatabase;
let prisma: PrismaClient;
let dir: string;
let apollo: ApolloServer<GraphQLContext>;
let planA: number;
let planB: number;
let queued: number;
let scenario: number;
const HURDLE_A = 0.2;
const SEGMENT_RULE = { segment: "affluent", channelId: "branch", minShare: 0.7 };

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
  dir = await mkdtemp(path.join(tmpdir(), "offerplan-compare-"));
  await writeDataset({ customers: 2000, seed: 5, profile: "default", outDir: dir });
  await importDataset(db.pool, dir);
  const def = JSON.parse(await readFile(path.join(dir, "constraints.json"), "utf8"));
  const a = await saveConstraintSetByName(createDb(db.pool, prisma), {
    ...def,
    name: "compare-a",
    budget: 800,
    hurdleRate: HURDLE_A,
  });
  const b = await saveConstraintSetByName(createDb(db.pool, prisma), {
    ...def,
    name: "compare-b",
    budget: 1300,
    hurdleRate: null,
    channelCapacities: [{ channelId: "call_centre", capacity: 250 }],
    offerVolumes: [{ offerId: "inv_gic", min: 40 }],
    segmentRules: [SEGMENT_RULE],
  });
  planA = (await createPlan(createDb(db.pool, prisma), a.versionId, { method: "EXACT", seed: 1 }))
    .id;
  await executePlan(db.pool, prisma, planA);
  planB = (
    await createPlan(createDb(db.pool, prisma), b.versionId, {
      method: "CLUSTER_LP",
      clusters: 20,
      seed: 1,
    })
  ).id;
  await executePlan(db.pool, prisma, planB);
  queued = (await createPlan(createDb(db.pool, prisma), a.versionId, { method: "GREEDY" })).id;
  // a what-if on version a: the segment rule exists only in the plan's overrides
  scenario = (
    await createPlan(createDb(db.pool, prisma), a.versionId, {
      method: "EXACT",
      seed: 1,
      overrides: { segmentRules: [SEGMENT_RULE] },
    })
  ).id;
  await executePlan(db.pool, prisma, scenario);

  apollo = new ApolloServer<GraphQLContext>({
    typeDefs: await readFile(path.join(__dirname, "..", "..", "..", "schema.graphql"), "utf8"),
    resolvers,
    formatError: (formatted, error) =>
      formatError(formatted, error, (e) => {
        // an internal error fails the test that met it, with its cause in the output
        console.error(e);
        return "test";
      }),
  });
  await apollo.start();
});
afterAll(async () => {
  await apollo?.stop();
  await prisma.$disconnect();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

interface GqlError {
  message: string;
  extensions?: { code?: string; field?: string };
}

/** One operation with a fresh context, as the server builds it per request. */
async function gql<T>(query: string, variables: Record<string, unknown> = {}) {
  const res = await apollo.executeOperation<T>(
    { query, variables },
    {
      contextValue: {
        caller: { keyId: 1, name: "test", role: "VIEWER" },
        pool: db.pool,
        prisma,
        loaders: createLoaders(db.pool, prisma),
        log: pino({ level: "silent" }),
        budget: new RequestBudget(20_000, 60_000),
      },
    },
  );
  if (res.body.kind !== "single") throw new Error("unexpected incremental response");
  const { data, errors } = res.body.singleResult;
  return { data: data ?? null, errors: errors as GqlError[] | undefined };
}

async function ok<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { data, errors } = await gql<T>(query, variables);
  if (errors?.length || !data) throw new Error(`GraphQL errors: ${JSON.stringify(errors)}`);
  return data;
}

const q = async <T>(sql: string, params: unknown[] = []) =>
  (await db.pool.query(sql, params)).rows as T[];

interface AssignmentRow {
  plan_id: number;
  customer: string;
  customer_db: number;
  offer: string;
  channel: string;
  expected_return: number;
  cost: number;
}

/** Every assignment of both plans, with external ids: the independent source of truth. */
const assignmentsOf = (ids: number[]) =>
  q<AssignmentRow>(
    `SELECT a.plan_id, cu.external_id AS customer, cu.id AS customer_db, o.external_id AS offer,
            ch.external_id AS channel, a.expected_return, a.cost
     FROM plan_assignment a JOIN customer cu ON cu.id = a.customer_id
     JOIN offer o ON o.id = a.offer_id JOIN channel ch ON ch.id = a.channel_id
     WHERE a.plan_id = ANY($1::int[])`,
    [ids],
  );

function pairsByCustomer(rows: AssignmentRow[], planId: number): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const r of rows) {
    if (r.plan_id !== planId) continue;
    const list = m.get(r.customer) ?? [];
    list.push(`${r.offer}/${r.channel}`);
    m.set(r.customer, list);
  }
  for (const list of m.values()) list.sort();
  return m;
}

/** Customers whose (offer, channel) set differs, in database-id order. */
function changedInJs(rows: AssignmentRow[], a: number, b: number) {
  const pa = pairsByCustomer(rows, a);
  const pb = pairsByCustomer(rows, b);
  const dbId = new Map(rows.map((r) => [r.customer, r.customer_db]));
  const changed = [...new Set([...pa.keys(), ...pb.keys()])].filter(
    (c) => (pa.get(c) ?? []).join() !== (pb.get(c) ?? []).join(),
  );
  changed.sort((x, y) => dbId.get(x)! - dbId.get(y)!);
  return { changed, pa, pb };
}

const COMPARE = `query ($a: ID!, $b: ID!) {
  comparePlans(a: $a, b: $b) {
    a { id } b { id }
    kpiDeltas {
      expectedReturn { a b delta } cost { a b delta } roi { a b delta }
      contacts { a b delta } upperBound { a b delta } gap { a b delta }
      contactsByChannel { channel { id: externalId } a b delta }
    }
    offerChannelDeltas {
      offer { id: externalId } channel { id: externalId }
      contactsA contactsB contactsDelta expectedReturnA expectedReturnB expectedReturnDelta
    }
    changedCustomerCount
    dualChanges { constraint kind dualA dualB delta bindingA bindingB }
  }
}`;

interface KpiDelta {
  a: number | null;
  b: number | null;
  delta: number | null;
}

interface Comparison {
  comparePlans: {
    a: { id: string };
    b: { id: string };
    kpiDeltas: Record<
      "expectedReturn" | "cost" | "roi" | "contacts" | "upperBound" | "gap",
      KpiDelta
    > & { contactsByChannel: (KpiDelta & { channel: { id: string } })[] };
    offerChannelDeltas: {
      offer: { id: string };
      channel: { id: string };
      contactsA: number;
      contactsB: number;
      contactsDelta: number;
      expectedReturnA: number;
      expectedReturnB: number;
      expectedReturnDelta: number;
    }[];
    changedCustomerCount: number;
    dualChanges: {
      constraint: string;
      kind: string;
      dualA: number | null;
      dualB: number | null;
      delta: number | null;
      bindingA: boolean | null;
      bindingB: boolean | null;
    }[];
  };
}

describe("comparePlans", () => {
  it("agrees with the plans' assignment rows and constraint reports", async () => {
    const rows = await assignmentsOf([planA, planB]);
    const { changed } = changedInJs(rows, planA, planB);
    // a comparison worth making: many customers changed, many did not
    const customersA = new Set(rows.filter((r) => r.plan_id === planA).map((r) => r.customer));
    expect(changed.length).toBeGreaterThan(50);
    expect(changed.length).toBeLessThan(customersA.size);

    const { comparePlans: c } = await ok<Comparison>(COMPARE, {
      a: String(planA),
      b: String(planB),
    });
    expect([c.a.id, c.b.id]).toEqual([`Plan:${planA}`, `Plan:${planB}`]);
    expect(c.changedCustomerCount).toBe(changed.length);

    // KPIs: totals of each plan's rows
    const totals = (id: number) => {
      const mine = rows.filter((r) => r.plan_id === id);
      const ret = mine.reduce((s, r) => s + r.expected_return, 0);
      const cost = mine.reduce((s, r) => s + r.cost, 0);
      const byChannel = new Map<string, number>();
      for (const r of mine) byChannel.set(r.channel, (byChannel.get(r.channel) ?? 0) + 1);
      return { ret, cost, contacts: mine.length, roi: (ret - cost) / cost, byChannel };
    };
    const ta = totals(planA);
    const tb = totals(planB);
    const kpi = c.kpiDeltas;
    const close = (name: "expectedReturn" | "cost" | "roi", a: number, b: number) => {
      const k = kpi[name];
      expect(k.a).toBeCloseTo(a, 6);
      expect(k.b).toBeCloseTo(b, 6);
      expect(k.delta).toBeCloseTo(b - a, 6);
    };
    close("expectedReturn", ta.ret, tb.ret);
    close("cost", ta.cost, tb.cost);
    close("roi", ta.roi, tb.roi);
    expect(kpi.contacts).toEqual({
      a: ta.contacts,
      b: tb.contacts,
      delta: tb.contacts - ta.contacts,
    });
    expect(kpi.contactsByChannel).toEqual(
      ["branch", "call_centre", "mail"].map((ch) => {
        const a = ta.byChannel.get(ch) ?? 0;
        const b = tb.byChannel.get(ch) ?? 0;
        return { channel: { id: ch }, a, b, delta: b - a };
      }),
    );
    expect(kpi.upperBound.a).toBeGreaterThanOrEqual(ta.ret - 1e-6);
    expect(Object.keys(kpi.gap).sort()).toEqual(["a", "b", "delta"]);

    // offer × channel: every pair used by either plan, contacts exact
    const cells = new Map<string, { ca: number; cb: number; ra: number; rb: number }>();
    for (const r of rows) {
      const key = `${r.offer}/${r.channel}`;
      const cell = cells.get(key) ?? { ca: 0, cb: 0, ra: 0, rb: 0 };
      if (r.plan_id === planA) {
        cell.ca++;
        cell.ra += r.expected_return;
      } else {
        cell.cb++;
        cell.rb += r.expected_return;
      }
      cells.set(key, cell);
    }
    expect(c.offerChannelDeltas.map((d) => `${d.offer.id}/${d.channel.id}`).sort()).toEqual(
      [...cells.keys()].sort(),
    );
    for (const d of c.offerChannelDeltas) {
      const cell = cells.get(`${d.offer.id}/${d.channel.id}`)!;
      expect([d.contactsA, d.contactsB, d.contactsDelta]).toEqual([
        cell.ca,
        cell.cb,
        cell.cb - cell.ca,
      ]);
      expect(d.expectedReturnA).toBeCloseTo(cell.ra, 6);
      expect(d.expectedReturnB).toBeCloseTo(cell.rb, 6);
      expect(d.expectedReturnDelta).toBeCloseTo(cell.rb - cell.ra, 6);
    }

    // duals: both reports joined on the constraint's name
    const report = await q<{
      plan_id: number;
      name: string;
      kind: string;
      dual: number | null;
      binding: boolean;
    }>(
      "SELECT plan_id, name, kind, dual, binding FROM plan_constraint_report WHERE plan_id = ANY($1::int[])",
      [[planA, planB]],
    );
    const names = [...new Set(report.map((r) => r.name))].sort();
    expect(c.dualChanges.map((d) => d.constraint).sort()).toEqual(names);
    // rows only one plan has: the hurdle (A), the segment rule and the gic minimum (B)
    expect(names).toEqual(
      expect.arrayContaining(["hurdle", "offer_min:inv_gic", "segment:affluent/channel:branch"]),
    );
    for (const d of c.dualChanges) {
      const ra = report.find((r) => r.plan_id === planA && r.name === d.constraint);
      const rb = report.find((r) => r.plan_id === planB && r.name === d.constraint);
      expect(d.kind).toBe((ra ?? rb)!.kind.toUpperCase());
      expect([d.dualA, d.dualB, d.bindingA, d.bindingB]).toEqual([
        ra?.dual ?? null,
        rb?.dual ?? null,
        ra?.binding ?? null,
        rb?.binding ?? null,
      ]);
      if (ra?.dual != null && rb?.dual != null) expect(d.delta).toBeCloseTo(rb.dual - ra.dual, 12);
      else expect(d.delta).toBeNull();
    }
  });

  it("counts once per pair, in either order, and stores the count", async () => {
    const [lo, hi] = [Math.min(planA, planB), Math.max(planA, planB)];
    const stored = await q<{ changed_customers: number }>(
      "SELECT changed_customers FROM plan_comparison WHERE plan_a = $1 AND plan_b = $2",
      [lo, hi],
    );
    const rows = await assignmentsOf([planA, planB]);
    const expected = changedInJs(rows, planA, planB).changed.length;
    expect(stored).toEqual([{ changed_customers: expected }]);
    // the stored number is what is answered, in either order
    await db.pool.query(
      "UPDATE plan_comparison SET changed_customers = changed_customers + 1000 WHERE plan_a = $1",
      [lo],
    );
    const count = `query ($a: ID!, $b: ID!) { comparePlans(a: $a, b: $b) { changedCustomerCount } }`;
    const reversed = await ok<{ comparePlans: { changedCustomerCount: number } }>(count, {
      a: String(planB),
      b: String(planA),
    });
    expect(reversed.comparePlans.changedCustomerCount).toBe(expected + 1000);
    await db.pool.query("DELETE FROM plan_comparison");
    const recount = await ok<{ comparePlans: { changedCustomerCount: number } }>(count, {
      a: String(planB),
      b: String(planA),
    });
    expect(recount.comparePlans.changedCustomerCount).toBe(expected);
    const self = await ok<{ comparePlans: { changedCustomerCount: number } }>(count, {
      a: String(planA),
      b: String(planA),
    });
    expect(self.comparePlans.changedCustomerCount).toBe(0);
  });

  it("pages changed customers by keyset: pages concatenate to the full list, no duplicates", async () => {
    const rows = await assignmentsOf([planA, planB]);
    const { changed, pa, pb } = changedInJs(rows, planA, planB);
    const PAGE = `query ($a: ID!, $b: ID!, $first: Int, $after: String) {
      comparePlans(a: $a, b: $b) {
        changedCustomers(first: $first, after: $after) {
          edges { cursor node { customer { id: externalId }
            a { offer { id: externalId } channel { id: externalId } } b { offer { id: externalId } channel { id: externalId } } } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }`;
    type Pair = { offer: { id: string }; channel: { id: string } };
    interface Page {
      comparePlans: {
        changedCustomers: {
          edges: { cursor: string; node: { customer: { id: string }; a: Pair[]; b: Pair[] } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      };
    }
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: Page = await ok<Page>(PAGE, {
        a: String(planA),
        b: String(planB),
        first: 37,
        after,
      });
      const conn = page.comparePlans.changedCustomers;
      pages++;
      expect(conn.edges.length).toBeLessThanOrEqual(37);
      for (const e of conn.edges) {
        const id = e.node.customer.id;
        seen.push(id);
        const names = (ps: Pair[]) => ps.map((p) => `${p.offer.id}/${p.channel.id}`).sort();
        expect(names(e.node.a)).toEqual(pa.get(id) ?? []);
        expect(names(e.node.b)).toEqual(pb.get(id) ?? []);
      }
      if (!conn.pageInfo.hasNextPage) {
        expect(conn.edges.length).toBeGreaterThan(0);
        break;
      }
      expect(conn.edges).toHaveLength(37);
      expect(conn.pageInfo.endCursor).toBe(conn.edges[36]!.cursor);
      after = conn.pageInfo.endCursor;
    }
    expect(pages).toBe(Math.ceil(changed.length / 37));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(changed);

    // backward from the end with last/before: the same customers, and the count of them all
    const BACK = `query ($a: ID!, $b: ID!, $last: Int, $before: String) {
      comparePlans(a: $a, b: $b) {
        changedCustomers(last: $last, before: $before) {
          totalCount edges { node { customer { id: externalId } } }
          pageInfo { hasPreviousPage hasNextPage startCursor }
        }
      }
    }`;
    interface Back {
      comparePlans: {
        changedCustomers: {
          totalCount: number;
          edges: { node: { customer: { id: string } } }[];
          pageInfo: { hasPreviousPage: boolean; hasNextPage: boolean; startCursor: string | null };
        };
      };
    }
    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const conn: Back["comparePlans"]["changedCustomers"] = (
        await ok<Back>(BACK, { a: String(planA), b: String(planB), last: 37, before })
      ).comparePlans.changedCustomers;
      expect(conn.totalCount).toBe(changed.length);
      expect(conn.pageInfo.hasNextPage).toBe(before !== null);
      backward.unshift(...conn.edges.map((e) => e.node.customer.id));
      if (!conn.pageInfo.hasPreviousPage) break;
      before = conn.pageInfo.startCursor;
    }
    expect(backward).toEqual(changed);

    const tooBig = await gql(PAGE, { a: String(planA), b: String(planB), first: 1001 });
    expect(tooBig.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "first",
    });
    const badCursor = await gql(PAGE, { a: String(planA), b: String(planB), after: "nonsense" });
    expect(badCursor.errors?.[0]?.extensions?.code).toBe("INVALID_CURSOR");
  });

  it("refuses plans that have not succeeded (CONFLICT) and unknown plans (NOT_FOUND)", async () => {
    const conflict = await gql(COMPARE, { a: String(planA), b: String(queued) });
    expect(conflict.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect(conflict.errors?.[0]?.message).toMatch(/QUEUED/);
    const missing = await gql(COMPARE, { a: String(planA), b: "999999" });
    expect(missing.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});

const PRICED = `offer { id: externalId } channel { id: externalId } expectedReturn cost reducedValue
  charges { constraint dual coefficient amount }`;
const EXPLAIN = `query ($id: ID!, $plan: ID!) {
  customer(id: $id) {
    id
    explanation(planId: $plan) {
      plan { id } customer { id: externalId }
      chosen { ${PRICED} } runnerUp { ${PRICED} } reason options { ${PRICED} }
    }
  }
}`;

interface Priced {
  offer: { id: string };
  channel: { id: string };
  expectedReturn: number;
  cost: number;
  reducedValue: number;
  charges: { constraint: string; dual: number; coefficient: number; amount: number }[];
}
interface Explained {
  customer: {
    id: string;
    explanation: {
      plan: { id: string };
      customer: { id: string };
      chosen: Priced[];
      runnerUp: Priced | null;
      reason: string;
      options: Priced[];
    } | null;
  };
}

describe("Customer.explanation", () => {
  const key = (o: { offer: { id: string }; channel: { id: string } }) =>
    `${o.offer.id}/${o.channel.id}`;

  /** The reduced value by hand: return − Σ dual × coefficient over the rows the option touches. */
  async function byHand(planId: number, segment: string | null, hurdle: number | null) {
    const report = await q<{ name: string; dual: number | null }>(
      "SELECT name, dual FROM plan_constraint_report WHERE plan_id = $1",
      [planId],
    );
    const dual = (name: string) => report.find((r) => r.name === name)?.dual ?? 0;
    return (o: { offer: string; channel: string; r: number; c: number }) => {
      let v = o.r - dual("budget") * o.c;
      if (hurdle !== null) v -= dual("hurdle") * (o.r - (1 + hurdle) * o.c);
      v -=
        dual(`capacity:${o.channel}`) + dual(`offer_min:${o.offer}`) + dual(`offer_max:${o.offer}`);
      if (segment === SEGMENT_RULE.segment) {
        const match = o.channel === SEGMENT_RULE.channelId ? 1 : 0;
        v -= dual("segment:affluent/channel:branch") * (match - SEGMENT_RULE.minShare);
      }
      return v;
    };
  }

  async function check(planId: number, customerDb: number, hurdle: number | null) {
    const [cust] = await q<{ external_id: string; segment: string | null }>(
      "SELECT external_id, segment FROM customer WHERE id = $1",
      [customerDb],
    );
    const res = await ok<Explained>(EXPLAIN, { id: cust!.external_id, plan: String(planId) });
    const e = res.customer.explanation!;
    expect(e.plan.id).toBe(`Plan:${planId}`);
    expect(e.customer.id).toBe(cust!.external_id);
    // chosen = the plan's assignments of this customer
    const assigned = (await assignmentsOf([planId])).filter((r) => r.customer_db === customerDb);
    expect(e.chosen.map(key).sort()).toEqual(assigned.map((r) => `${r.offer}/${r.channel}`).sort());
    // options = the customer's eligible options, best reduced value first, priced by hand
    const eligible = await q<{ offer: string; channel: string; r: number; c: number }>(
      `SELECT o.external_id AS offer, ch.external_id AS channel, e.expected_return AS r, e.cost AS c
       FROM eligible_option e JOIN offer o ON o.id = e.offer_id JOIN channel ch ON ch.id = e.channel_id
       WHERE e.customer_id = $1`,
      [customerDb],
    );
    expect(e.options.map(key).sort()).toEqual(
      eligible.map((x) => `${x.offer}/${x.channel}`).sort(),
    );
    const price = await byHand(planId, cust!.segment, hurdle);
    for (const o of e.options) {
      const x = eligible.find((x) => `${x.offer}/${x.channel}` === key(o))!;
      expect([o.expectedReturn, o.cost]).toEqual([x.r, x.c]);
      expect(o.reducedValue).toBeCloseTo(price(x), 9);
      const sum = o.charges.reduce((s, c) => s + c.amount, 0);
      expect(o.expectedReturn - sum).toBeCloseTo(o.reducedValue, 9);
      for (const c of o.charges) expect(c.amount).toBeCloseTo(c.dual * c.coefficient, 12);
    }
    for (let i = 1; i < e.options.length; i++)
      expect(e.options[i]!.reducedValue).toBeLessThanOrEqual(e.options[i - 1]!.reducedValue);
    // runner-up: the best option not chosen
    const chosenKeys = new Set(e.chosen.map(key));
    expect(e.runnerUp && key(e.runnerUp)).toBe(
      e.options.map(key).find((k) => !chosenKeys.has(k)) ?? null,
    );
    return e;
  }

  it("explains contacted customers of the EXACT plan at its duals", async () => {
    const contacted = await q<{ customer_id: number }>(
      "SELECT customer_id FROM plan_assignment WHERE plan_id = $1 ORDER BY customer_id LIMIT 12",
      [planA],
    );
    let consistent = 0;
    for (const { customer_id } of contacted) {
      const e = await check(planA, customer_id, HURDLE_A);
      expect(e.chosen).toHaveLength(1);
      if (!e.runnerUp) continue;
      // the sentence says which way the prices point, honestly
      if (e.chosen[0]!.reducedValue >= e.runnerUp.reducedValue) {
        consistent++;
        expect(e.reason).toMatch(/The runner-up .* adds/);
      } else expect(e.reason).toMatch(/although the runner-up/);
    }
    // the Lagrangian prices are what the EXACT plan was chosen at
    expect(consistent).toBeGreaterThanOrEqual(10);
  });

  it("explains the CLUSTER_LP plan, with a segment rule, and customers it left out", async () => {
    const seg = await q<{ id: number }>(
      `SELECT a.customer_id AS id FROM plan_assignment a JOIN customer c ON c.id = a.customer_id
       WHERE a.plan_id = $1 AND c.segment = $2 ORDER BY a.customer_id LIMIT 3`,
      [planB, SEGMENT_RULE.segment],
    );
    for (const { id } of seg) {
      const e = await check(planB, id, null);
      expect(
        e.options.some((o) => o.charges.some((c) => c.constraint.startsWith("segment:"))),
      ).toBe(true);
    }
    const leftOut = await q<{ id: number }>(
      `SELECT c.id FROM customer c WHERE NOT c.do_not_contact
         AND EXISTS (SELECT 1 FROM eligible_option e WHERE e.customer_id = c.id)
         AND NOT EXISTS (SELECT 1 FROM plan_assignment a WHERE a.plan_id = $1 AND a.customer_id = c.id)
       ORDER BY c.id LIMIT 5`,
      [planB],
    );
    expect(leftOut.length).toBe(5);
    for (const { id } of leftOut) {
      const e = await check(planB, id, null);
      expect(e.chosen).toEqual([]);
      expect(e.reason).toMatch(
        e.options[0]!.reducedValue <= 0
          ? /every option's reduced value is ≤ 0/
          : /gets nothing although/,
      );
    }
  });

  it("prices a what-if plan by its overrides", async () => {
    const seg = await q<{ id: number }>(
      `SELECT a.customer_id AS id FROM plan_assignment a JOIN customer c ON c.id = a.customer_id
       WHERE a.plan_id = $1 AND c.segment = $2 ORDER BY a.customer_id LIMIT 3`,
      [scenario, SEGMENT_RULE.segment],
    );
    expect(seg.length).toBe(3);
    for (const { id } of seg) {
      const e = await check(scenario, id, HURDLE_A);
      expect(
        e.options.some((o) => o.charges.some((c) => c.constraint.startsWith("segment:"))),
      ).toBe(true);
    }
  });

  it("says so for a do-not-contact customer, and is null for an unfinished plan", async () => {
    const [dnc] = await q<{ external_id: string }>(
      "SELECT external_id FROM customer WHERE do_not_contact ORDER BY id LIMIT 1",
    );
    const res = await ok<Explained>(EXPLAIN, { id: dnc!.external_id, plan: String(planA) });
    expect(res.customer.explanation).toMatchObject({ chosen: [], runnerUp: null, options: [] });
    expect(res.customer.explanation!.reason).toMatch(/is do-not-contact/);
    const unfinished = await ok<Explained>(EXPLAIN, {
      id: dnc!.external_id,
      plan: String(queued),
    });
    expect(unfinished.customer.explanation).toBeNull();
  });
});
