import { createDb } from "../../../src/services/db-handles";
// Campaign results through GraphQL (Apollo's executeOperation with the server's resolvers and
// error mapping) and through the CLI in a child process: the same services, their inputs, roles
// and errors at the edges.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { ApolloServer } from "@apollo/server";
import pino from "pino";
import type { ApiRole } from "../../../src/generated/prisma/client";
import type { GraphQLContext } from "../../../src/graphql/context";
import { formatError } from "../../../src/graphql/errors";
import { createLoaders } from "../../../src/graphql/loaders";
import { RequestBudget } from "../../../src/graphql/request-budget";
import { resolvers } from "../../../src/graphql/resolvers";
import { createPlan, executePlan } from "../../../src/services/plans";
import { renderCsv } from "../../../src/reports/csv";
import { renderHtml } from "../../../src/reports/html";
import { planReport } from "../../../src/services/plan-report";
import { planResults } from "../../../src/services/results";
import { resultsFixture, simulatedResponses, type ResultsFixture } from "./helpers";

let f: ResultsFixture;
let apollo: ApolloServer<GraphQLContext>;
let held: number;
let plain: number;

beforeAll(async () => {
  f = await resultsFixture();
  held = (
    await createPlan(createDb(f.db.pool, f.prisma), f.versionId, {
      method: "GREEDY",
      seed: 2,
      controlShare: 0.2,
    })
  ).id;
  await executePlan(f.db.pool, f.prisma, held);
  plain = (
    await createPlan(createDb(f.db.pool, f.prisma), f.versionId, { method: "GREEDY", seed: 2 })
  ).id;
  await executePlan(f.db.pool, f.prisma, plain);
  const file = await simulatedResponses(f.db.pool, held, f.dir, 5);
  await writeFile(path.join(f.dir, "responses.csv"), await readFile(file));
  apollo = new ApolloServer<GraphQLContext>({
    typeDefs: await readFile(path.join(__dirname, "..", "..", "..", "schema.graphql"), "utf8"),
    resolvers,
    formatError: (formatted, error) =>
      formatError(formatted, error, (e) => {
        console.error(e);
        return "test";
      }),
  });
  await apollo.start();
});
afterAll(async () => {
  await apollo?.stop();
  await f.close();
});

interface GqlError {
  message: string;
  extensions?: { code?: string; field?: string; problems?: { line: number; column: string }[] };
}

async function gql<T>(role: ApiRole, query: string, variables: Record<string, unknown> = {}) {
  const res = await apollo.executeOperation<T>(
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
  const { data, errors } = res.body.singleResult;
  return { data: (data ?? null) as T | null, errors: errors as GqlError[] | undefined };
}

async function ok<T>(role: ApiRole, query: string, variables: Record<string, unknown> = {}) {
  const { data, errors } = await gql<T>(role, query, variables);
  if (errors?.length || !data) throw new Error(`GraphQL errors: ${JSON.stringify(errors)}`);
  return data;
}

const IMPORT = `mutation ($plan: ID!, $path: String!) {
  importResponses(planId: $plan, path: $path) { importId planId rowsRead inserted updated unchanged changed }
}`;

const RESULTS = `query ($id: ID!) {
  plan(id: $id) {
    parameters { controlShare calibrationId }
    kpis { contacts control { share contacts customers expectedReturn } }
    results {
      ciMethod imports responses calibrationId
      total {
        level segment offer { id: externalId } channel { id: externalId }
        treatment { customers responders responseRate revenue revenuePerCustomer }
        control { customers responders responseRate }
        uplift upliftCiLow upliftCiHigh predictedResponseRate actualToPredicted
      }
      byOffer { level offer { id: externalId } uplift }
      byChannel { level channel { id: externalId } }
      bySegment { level segment }
      cells { level segment offer { id: externalId } channel { id: externalId } treatment { customers } }
    }
  }
}`;

interface ResultsData {
  plan: {
    parameters: { controlShare: number | null; calibrationId: string | null };
    kpis: {
      contacts: number;
      control: { share: number; contacts: number; customers: number } | null;
    };
    results: null | {
      ciMethod: string;
      imports: number;
      responses: number;
      calibrationId: string | null;
      total: {
        level: string;
        segment: string | null;
        offer: { id: string } | null;
        channel: { id: string } | null;
        treatment: { customers: number; responders: number; responseRate: number };
        control: { customers: number; responders: number };
        uplift: number;
        upliftCiLow: number;
        upliftCiHigh: number;
      };
      byOffer: { level: string; offer: { id: string }; uplift: number | null }[];
      byChannel: { level: string; channel: { id: string } }[];
      bySegment: { level: string; segment: string | null }[];
      cells: { level: string; offer: { id: string }; channel: { id: string } }[];
    };
  };
}

describe("GraphQL", () => {
  it("imports responses below the import root (ADMIN), with the file's problems on failure", async () => {
    const viewer = await gql("ANALYST", IMPORT, { plan: String(held), path: "responses.csv" });
    expect(viewer.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const escape = await gql("ADMIN", IMPORT, { plan: String(held), path: "../responses.csv" });
    expect(escape.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "path" });
    await writeFile(path.join(f.dir, "bad.csv"), "customer_id,offer_id,responded\nnobody,x,yes\n");
    const bad = await gql("ADMIN", IMPORT, { plan: String(held), path: "bad.csv" });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "path" });
    expect(bad.errors![0]!.extensions!.problems!.map((p) => [p.line, p.column])).toEqual([
      [2, "responded"],
      [2, "customer_id"],
      [2, "offer_id"],
    ]);
    const missing = await gql("ADMIN", IMPORT, { plan: "99999", path: "responses.csv" });
    expect(missing.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const done = await ok<{ importResponses: Record<string, unknown> }>("ADMIN", IMPORT, {
      plan: String(held),
      path: ".", // a directory: its responses.csv
    });
    expect(done.importResponses).toMatchObject({
      planId: `Plan:${held}`,
      updated: 0,
      changed: true,
    });
    const again = await ok<{ importResponses: Record<string, unknown> }>("ADMIN", IMPORT, {
      plan: String(held),
      path: "responses.csv",
    });
    expect(again.importResponses).toMatchObject({ inserted: 0, updated: 0, changed: false });
  });

  it("reads Plan.results as the service computes them, and null without responses", async () => {
    const { plan } = await ok<ResultsData>("VIEWER", RESULTS, { id: String(held) });
    const r = (await planResults(f.db.pool, held))!;
    expect(plan.parameters).toEqual({ controlShare: 0.2, calibrationId: null });
    expect(plan.kpis.control).toMatchObject({ share: 0.2, contacts: r.total.control.customers });
    expect(plan.kpis.contacts).toBe(r.total.treatment.customers);
    const res = plan.results!;
    expect(res).toMatchObject({ ciMethod: "NEWCOMBE_WILSON_95", imports: 2, calibrationId: null });
    expect(res.total).toMatchObject({
      level: "TOTAL",
      segment: null,
      offer: null,
      channel: null,
      treatment: {
        customers: r.total.treatment.customers,
        responders: r.total.treatment.responders,
      },
      control: { customers: r.total.control.customers, responders: r.total.control.responders },
      uplift: r.total.uplift,
      upliftCiLow: r.total.upliftCiLow,
      upliftCiHigh: r.total.upliftCiHigh,
    });
    expect(res.byOffer.map((o) => [o.level, o.offer.id])).toEqual(
      r.byOffer.map((o) => ["OFFER", o.offer]),
    );
    expect(res.byChannel.every((c) => c.level === "CHANNEL")).toBe(true);
    expect(res.bySegment.map((s) => s.segment)).toEqual(r.bySegment.map((s) => s.segment));
    expect(res.cells.map((c) => [c.level, c.offer.id, c.channel.id])).toEqual(
      r.cells.map((c) => ["CELL", c.offer, c.channel]),
    );
    const none = await ok<ResultsData>("VIEWER", RESULTS, { id: String(plain) });
    expect(none.plan.results).toBeNull();
    expect(none.plan.kpis.control).toBeNull();
    expect(none.plan.parameters.controlShare).toBeNull();
  });

  it("puts the results in the plan report (table rows, CSV, HTML)", async () => {
    const r = (await planResults(f.db.pool, held))!;
    const report = (await planReport(f.db.pool, held))!;
    const total = report.results.find((x) => x.level === "total")!;
    expect(total.treatmentCustomers).toBe(r.total.treatment.customers);
    expect(total.controlCustomers).toBe(r.total.control.customers);
    expect(total.uplift).toBeCloseTo(r.total.uplift!, 12);
    expect(report.results.filter((x) => x.level === "offer").map((x) => x.offer)).toEqual(
      r.byOffer.map((o) => o.offer),
    );
    expect(report.results.some((x) => x.level === "cell")).toBe(false);
    expect(renderCsv(report)).toContain(
      `results,total:all,treatment_customers,${total.treatmentCustomers}`,
    );
    expect(renderHtml(report)).toContain('<table class="results">');
    const plainReport = (await planReport(f.db.pool, plain))!;
    expect(plainReport.results).toEqual([]);
    expect(renderHtml(plainReport)).not.toContain('id="results"');
  });

  it("recalibrates (ADMIN) and runs a plan with the calibration and a holdout (ANALYST)", async () => {
    const RECAL = `mutation ($plan: ID!) {
      recalibrateScores(planId: $plan, priorStrength: 10) {
        id priorStrength sourcePlan { id } baseCalibrationId
        factors { segment offer { id: externalId } channel { id: externalId } customers responders factor previousFactor rawFactor }
      }
    }`;
    expect(
      (await gql("ANALYST", RECAL, { plan: String(held) })).errors?.[0]?.extensions?.code,
    ).toBe("FORBIDDEN");
    const { recalibrateScores: cal } = await ok<{
      recalibrateScores: {
        id: string;
        priorStrength: number;
        sourcePlan: { id: string };
        factors: {
          customers: number;
          responders: number;
          factor: number;
          previousFactor: number;
        }[];
      };
    }>("ADMIN", RECAL, { plan: String(held) });
    expect(cal).toMatchObject({ priorStrength: 10, sourcePlan: { id: `Plan:${held}` } });
    expect(cal.factors.length).toBeGreaterThan(5);
    expect(cal.factors.every((x) => x.previousFactor === 1 && x.customers > 0)).toBe(true);
    const read = await ok<{ scoreCalibration: { id: string; factors: unknown[] } }>(
      "VIEWER",
      `query ($id: ID!) { scoreCalibration(id: $id) { id factors { factor } } }`,
      { id: cal.id },
    );
    expect(read.scoreCalibration.factors.length).toBe(cal.factors.length);
    const noResults = await gql("ADMIN", RECAL, { plan: String(plain) });
    expect(noResults.errors?.[0]?.extensions?.code).toBe("CONFLICT");

    const RUN = `mutation ($input: RunPlanInput!) {
      runPlan(input: $input) { id status parameters { controlShare calibrationId } }
    }`;
    const base = { constraintSetVersionId: String(f.versionId), method: "GREEDY" };
    const badShare = await gql("ANALYST", RUN, { input: { ...base, controlShare: 1 } });
    expect(badShare.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.controlShare",
    });
    const badCal = await gql("ANALYST", RUN, { input: { ...base, calibrationId: "4242" } });
    expect(badCal.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const run = await ok<{
      runPlan: { status: string; parameters: { controlShare: number; calibrationId: string } };
    }>("ANALYST", RUN, { input: { ...base, controlShare: 0.1, calibrationId: cal.id } });
    expect(run.runPlan).toMatchObject({
      status: "QUEUED",
      parameters: { controlShare: 0.1, calibrationId: cal.id },
    });
  });
});

const run = promisify(execFile);
const bin = path.resolve(__dirname, "..", "..", "..", "bin", "offerplan.js");

async function offerplan(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, DATABASE_URL: f.db.url },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("CLI", () => {
  it("plan run --control-share, responses import, results and scores recalibrate", async () => {
    const planRun = await offerplan(
      "plan",
      "run",
      "--constraints",
      String(f.versionId),
      "--method",
      "greedy",
      "--control-share",
      "0.3",
      "--json",
    );
    expect(planRun.stderr).toBe("");
    const plan = JSON.parse(planRun.stdout) as {
      id: number;
      parameters: { controlShare: number };
      kpis: { control: { contacts: number } };
    };
    expect(plan.parameters.controlShare).toBe(0.3);
    expect(plan.kpis.control.contacts).toBeGreaterThan(0);

    const file = await simulatedResponses(f.db.pool, plan.id, f.dir, 9);
    const bad = await offerplan(
      "responses",
      "import",
      "--plan",
      String(plan.id),
      "--file",
      path.join(f.dir, "bad.csv"),
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/response import rejected, nothing was written \(3 problem\(s\)\)/);
    expect(bad.stderr).toMatch(/bad\.csv:2 \[responded\]: must be true or false, got "yes"/);
    const imported = await offerplan(
      "responses",
      "import",
      "--plan",
      String(plan.id),
      "--file",
      file,
    );
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/response rows from .*: [\d,]+ new, 0 changed, 0 unchanged/);

    const results = await offerplan("results", "--plan", String(plan.id));
    expect(results.code).toBe(0);
    expect(results.stdout).toMatch(
      /^all +\d+ +\d+ +[\d.]+% +[\d.]+% +[+-][\d.]+ +\[[+-][\d.]+, [+-][\d.]+\]/m,
    );
    expect(results.stdout).toMatch(/^offer +treatment +control/m);

    const recal = await offerplan(
      "scores",
      "recalibrate",
      "--from-plan",
      String(plan.id),
      "--json",
    );
    expect(recal.code).toBe(0);
    const r = JSON.parse(recal.stdout) as { calibrationId: number; cells: unknown[] };
    expect(r.cells.length).toBeGreaterThan(0);
    const table = await offerplan("scores", "recalibrate", "--from-plan", String(plan.id));
    expect(table.stdout).toMatch(new RegExp(`--calibration ${r.calibrationId + 1}`));
    expect(table.stdout).toMatch(/factor before +factor now/);

    const none = await offerplan("results", "--plan", String(plain));
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/has no responses yet/);
  });
});
