import { createDb } from "../../../src/services/db-handles";
// Contact history: the file import (validation with file, line and column, nothing written on a
// problem, re-import writes nothing) and plan commits (treatment only, once, SUCCEEDED only),
// through the services and through GraphQL (roles, Plan.committedAt).
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ApolloServer } from "@apollo/server";
import pino from "pino";
import type { ApiRole } from "../../../src/generated/prisma/client";
import type { GraphQLContext } from "../../../src/graphql/context";
import { formatError } from "../../../src/graphql/errors";
import { createLoaders } from "../../../src/graphql/loaders";
import { RequestBudget } from "../../../src/graphql/request-budget";
import { resolvers } from "../../../src/graphql/resolvers";
import { ImportError } from "../../../src/ingest";
import { isIsoDateTime } from "../../../src/ingest/history";
import { campaignDateOption } from "../../../src/cli/commands/history";
import { ConflictError } from "../../../src/services/errors";
import { commitPlan, contactHistorySummary, importHistory } from "../../../src/services/history";
import { createPlan, executePlan } from "../../../src/services/plans";
import { resultsFixture, type ResultsFixture } from "../results/helpers";

let f: ResultsFixture;
let customers: string[];

beforeAll(async () => {
  f = await resultsFixture(600);
  customers = (
    await f.db.pool.query<{ id: string }>(
      "SELECT external_id AS id FROM customer ORDER BY id LIMIT 5",
    )
  ).rows.map((r) => r.id);
});
afterAll(async () => {
  await f.close();
});

async function counts() {
  const { rows } = await f.db.pool.query<{ contacts: number; imports: number }>(
    `SELECT (SELECT count(*)::int FROM contact_history) AS contacts,
            (SELECT count(*)::int FROM contact_import) AS imports`,
  );
  return rows[0]!;
}

async function file(name: string, lines: string[]): Promise<string> {
  const p = path.join(f.dir, name);
  await writeFile(p, lines.join("\n") + "\n");
  return p;
}

async function rejected(p: string): Promise<ImportError> {
  const before = await counts();
  const e = await importHistory(f.db.pool, p).then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ImportError);
  expect(await counts()).toEqual(before);
  return e as ImportError;
}

describe("contact history import", () => {
  it("reads ISO-8601 date-times strictly", () => {
    const ok = (s: string) => isIsoDateTime(Buffer.from(s), 0, Buffer.byteLength(s));
    for (const s of [
      "2026-03-01",
      "2026-03-01T09:30",
      "2026-03-01 09:30:15",
      "2024-02-29T23:59:59.123456Z",
      "2026-03-01T09:30:00+01:00",
      "2026-03-01T09:30:00-0530",
      "2026-03-01T09:30:00+02",
    ])
      expect([s, ok(s)]).toEqual([s, true]);
    for (const s of [
      "2026-3-1",
      "2025-02-29",
      "2026-13-01",
      "2026-03-01T24:00",
      "2026-03-01T09:60",
      "2026-03-01T09:30:00.",
      "2026-03-01T09:30:00+1",
      "2026-03-01T09:30:00X",
      "01/03/2026",
      "2026-03-01T",
    ])
      expect([s, ok(s)]).toEqual([s, false]);
    expect(campaignDateOption("2026-03-01T09:30").toISOString()).toBe("2026-03-01T09:30:00.000Z");
    expect(() => campaignDateOption("2026-02-30")).toThrow(/YYYY-MM-DD/);
  });

  it("imports a file once: a re-import writes nothing", async () => {
    const [a, b, c] = customers;
    const p = await file("contacts.csv", [
      "customer_id,offer_id,channel_id,contacted_at,campaign",
      `${a},inv_rrsp,mail,2026-01-05T10:00:00Z,q1`,
      `${a},inv_rrsp,mail,2026-01-05T11:00:00+01:00,q1`,
      `${b}, inv_rrsp ,mail,2026-02-01,q1`,
      `${c},lend_mortgage,call_centre,2026-02-01 08:15,q1`,
    ]);
    // line 3 is the same contact as line 2 (11:00+01:00 = 10:00Z): a duplicate within the file
    const dup = await rejected(p);
    expect(dup.problems).toEqual([
      expect.objectContaining({ file: "contacts.csv", line: 3, column: null }),
    ]);
    expect(dup.problems[0]!.message).toMatch(/duplicate contact .*first on line 2/);

    await file("contacts.csv", [
      "customer_id,offer_id,channel_id,contacted_at,campaign",
      `${a},inv_rrsp,mail,2026-01-05T10:00:00Z,q1`,
      `${a},inv_rrsp,mail,2026-01-05T11:00:00Z,q1`,
      `${b}, inv_rrsp ,mail,2026-02-01,q1`,
      `${c},lend_mortgage,call_centre,2026-02-01 08:15,q1`,
    ]);
    const before = await counts();
    const first = await importHistory(f.db.pool, p);
    expect(first).toMatchObject({ rowsRead: 4, inserted: 4, unchanged: 0 });
    expect(await counts()).toEqual({
      contacts: before.contacts + 4,
      imports: before.imports + 1,
    });
    const again = await importHistory(f.db.pool, p);
    expect(again).toMatchObject({ rowsRead: 4, inserted: 0, unchanged: 4 });
    expect((await counts()).contacts).toBe(before.contacts + 4);
    // the first import keeps the rows; times without an offset are UTC
    const { rows } = await f.db.pool.query<{ import_id: number; at: string }>(
      `SELECT h.import_id, to_char(h.contacted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS at
       FROM contact_history h JOIN customer cu ON cu.id = h.customer_id
       WHERE cu.external_id = $1`,
      [c],
    );
    expect(rows).toEqual([{ import_id: first.importId, at: "2026-02-01 08:15" }]);
  });

  it("rejects unknown ids and bad dates with their lines and columns, writing nothing", async () => {
    const [a] = customers;
    const e = await rejected(
      await file("bad.csv", [
        "customer_id,offer_id,channel_id,contacted_at",
        `nobody,inv_rrsp,mail,2026-01-05`,
        `${a},no_offer,mail,2026-01-05`,
        `${a},inv_rrsp,pigeon,2026-01-05`,
        `${a},inv_rrsp,mail,05/01/2026`,
        `${a},inv_rrsp,mail,`,
        `${a},inv_rrsp,mail,2026-07-01`,
      ]),
    );
    expect(e.total).toBe(5);
    expect(e.problems.map((p) => [p.file, p.line, p.column])).toEqual([
      ["bad.csv", 5, "contacted_at"],
      ["bad.csv", 6, "contacted_at"],
      ["bad.csv", 2, "customer_id"],
      ["bad.csv", 3, "offer_id"],
      ["bad.csv", 4, "channel_id"],
    ]);
    expect(e.problems[2]!.message).toBe('unknown customer "nobody"');
  });

  it("rejects a file without a required column", async () => {
    const e = await rejected(
      await file("nocol.csv", [
        "customer_id,offer_id,contacted_at",
        `${customers[0]},inv_rrsp,2026-01-05`,
      ]),
    );
    expect(e.problems[0]).toMatchObject({ file: "nocol.csv", line: 1, column: "channel_id" });
  });

  it("reports the first 100 problems and counts the rest", async () => {
    const lines = ["customer_id,offer_id,channel_id,contacted_at"];
    for (let i = 0; i < 150; i++) lines.push(`ghost${i},inv_rrsp,mail,2026-01-05`);
    const e = await rejected(await file("many.csv", lines));
    expect(e.problems).toHaveLength(100);
    expect(e.total).toBe(150);
  });
});

describe("plan commit", () => {
  let planId: number;
  let apollo: ApolloServer<GraphQLContext>;

  beforeAll(async () => {
    planId = (
      await createPlan(createDb(f.db.pool, f.prisma), f.versionId, {
        method: "GREEDY",
        seed: 3,
        controlShare: 0.2,
      })
    ).id;
    await executePlan(f.db.pool, f.prisma, planId);
    apollo = new ApolloServer<GraphQLContext>({
      typeDefs: await readFile(path.join(__dirname, "..", "..", "..", "schema.graphql"), "utf8"),
      resolvers,
      formatError: (formatted, error) => formatError(formatted, error, () => "test"),
    });
    await apollo.start();
  });
  afterAll(async () => {
    await apollo?.stop();
  });

  async function gql(role: ApiRole, query: string, variables: Record<string, unknown> = {}) {
    const res = await apollo.executeOperation(
      { query, variables },
      {
        contextValue: {
          caller: { keyId: 1, name: "test", role },
          pool: f.db.pool,
          prisma: f.prisma,
          loaders: createLoaders(f.db.pool, f.prisma),
          log: pino({ level: "silent" }),
          budget: new RequestBudget(20_000, 60_000),
          importRoot: f.dir,
        },
      },
    );
    if (res.body.kind !== "single") throw new Error("unexpected incremental response");
    return res.body.singleResult as {
      data?: Record<string, unknown> | null;
      errors?: { extensions?: { code?: string } }[];
    };
  }

  it("records exactly the treatment assignments, once", async () => {
    const treatment = await f.db.pool.query<{
      customer_id: number;
      offer_id: number;
      channel_id: number;
    }>(
      `SELECT customer_id, offer_id, channel_id FROM plan_assignment
       WHERE plan_id = $1 AND "group" = 'treatment' ORDER BY 1, 2`,
      [planId],
    );
    const control = await f.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM plan_assignment WHERE plan_id = $1 AND "group" = 'control'`,
      [planId],
    );
    expect(treatment.rows.length).toBeGreaterThan(0);
    expect(control.rows[0]!.n).toBeGreaterThan(0);
    const date = new Date("2026-04-01T09:00:00Z");
    const r = await commitPlan(f.db.pool, planId, date, { committedBy: "test" });
    expect(r).toMatchObject({ planId, contacts: treatment.rows.length });
    const recorded = await f.db.pool.query<{
      customer_id: number;
      offer_id: number;
      channel_id: number;
    }>(
      `SELECT h.customer_id, h.offer_id, h.channel_id FROM contact_history h
       WHERE h.contacted_at = $1 ORDER BY 1, 2`,
      [date],
    );
    expect(recorded.rows).toEqual(treatment.rows);

    const before = await counts();
    await expect(commitPlan(f.db.pool, planId, date)).rejects.toThrow(ConflictError);
    await expect(commitPlan(f.db.pool, planId, new Date("2026-05-01"))).rejects.toThrow(
      /already committed/,
    );
    expect(await counts()).toEqual(before);

    const { data } = await gql(
      "VIEWER",
      `query($id: ID!) { plan(id: $id) { committedAt campaignDate } contactHistorySummary { contacts customers first last } }`,
      { id: String(planId) },
    );
    expect(data).toMatchObject({
      plan: { campaignDate: date.toISOString(), committedAt: expect.any(String) },
      contactHistorySummary: { contacts: before.contacts, customers: expect.any(Number) },
    });
    expect((await contactHistorySummary(f.db.pool)).contacts).toBe(before.contacts);
  });

  it("refuses a plan that has not succeeded, and callers below ANALYST", async () => {
    const queued = (
      await createPlan(createDb(f.db.pool, f.prisma), f.versionId, { method: "GREEDY", seed: 4 })
    ).id;
    const before = await counts();
    await expect(commitPlan(f.db.pool, queued, new Date())).rejects.toThrow(/QUEUED/);
    const m = `mutation($id: ID!) { commitPlan(id: $id, campaignDate: "2026-06-01T00:00:00Z") { contacts inserted campaignDate plan { id committedAt } } }`;
    const asViewer = await gql("VIEWER", m, { id: String(queued) });
    expect(asViewer.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const conflict = await gql("ANALYST", m, { id: String(queued) });
    expect(conflict.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect(await counts()).toEqual(before);

    await executePlan(f.db.pool, f.prisma, queued);
    const done = await gql("ANALYST", m, { id: String(queued) });
    expect(done.errors).toBeUndefined();
    const c = (done.data as { commitPlan: { contacts: number; inserted: number } }).commitPlan;
    expect(c.contacts).toBeGreaterThan(0);
    expect(c.inserted).toBe(c.contacts);
    expect((await gql("ADMIN", m, { id: String(queued) })).errors?.[0]?.extensions?.code).toBe(
      "CONFLICT",
    );
  });
});
