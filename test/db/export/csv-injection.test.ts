// Plan exports and CSV reports opened in a spreadsheet: ids and names that look like formulas
// (imported from customers' files) are written as text; --raw-csv writes them as they are.
import { createDb } from "../../../src/services/db-handles";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "csv-parse/sync";
import { createPrisma, type PrismaClient } from "../../../src/db/prisma";
import { writeDataset } from "../../../src/generate";
import { importDataset } from "../../../src/ingest";
import { saveConstraintSetByName } from "../../../src/services/constraint-sets";
import { exportPlan } from "../../../src/services/plan-export";
import { createPlan, executePlan } from "../../../src/services/plans";
import { createTestDatabase, type TestDatabase } from "../../support/db";

const run = promisify(execFile);
const bin = path.resolve(__dirname, "..", "..", "..", "bin", "offerplan.js");

let db: TestDatabase;
let prisma: PrismaClient;
let dir: string;
let planId: number;

const OFFER = `=HYPERLINK("http://evil.example/","inv_rrsp")`;
const CHANNEL = "@mail";
/** a customer id that a spreadsheet would run, by the customer's number */
const evilCustomer = (n: number) =>
  [`@SUM(A${n})`, `=cmd|' /C calc'!A${n}`, `+${n}+1`, `-${n}+1`][n % 4]!;

const csvQuote = (s: string) => `"${s.replace(/"/g, '""')}"`;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
  dir = await mkdtemp(path.join(tmpdir(), "offerplan-csv-injection-"));
  await writeDataset({ customers: 200, seed: 5, profile: "default", outDir: dir });
  const rewrite = async (file: string, edit: (text: string) => string) =>
    writeFile(path.join(dir, file), edit(await readFile(path.join(dir, file), "utf8")));
  const ids = (text: string) =>
    text.replace(/^C0*(\d+),/gm, (_m, n: string) => `${evilCustomer(Number(n))},`);
  const offer = (text: string) => text.replace(/(^|,)inv_rrsp,/gm, `$1${csvQuote(OFFER)},`);
  const channel = (text: string) => text.replace(/(^|[,;])mail(?=[,;\n])/gm, `$1${CHANNEL}`);
  await rewrite("customers.csv", ids);
  await rewrite("scores.csv", (t) => channel(offer(ids(t))));
  await rewrite("offers.csv", (t) => channel(offer(t)));
  await rewrite("channels.csv", channel);
  await importDataset(db.pool, dir);
  const def = JSON.parse(await readFile(path.join(dir, "constraints.json"), "utf8"));
  const v = await saveConstraintSetByName(createDb(db.pool, prisma), {
    ...def,
    name: "=1+1 campaign",
    budget: 1_000_000,
  });
  const plan = await createPlan(createDb(db.pool, prisma), v.versionId, {
    method: "GREEDY",
    controlShare: 0.2,
  });
  planId = plan.id;
  await executePlan(db.pool, prisma, planId);
}, 120_000);
afterAll(async () => {
  await prisma.$disconnect();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

async function offerplan(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, DATABASE_URL: db.url },
    });
    return { code: 0, stderr };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
}

interface ExportRow {
  customer_id: string;
  offer_id: string;
  channel_id: string;
  expected_return: string;
  cost: string;
  group: string;
}

/** The plan's rows as the view has them, in the export's order. */
async function viewRows(): Promise<ExportRow[]> {
  const { rows } = await db.pool.query<ExportRow>(
    `SELECT customer_id, offer_id, channel_id, expected_return::text, cost::text, "group"
     FROM plan_export WHERE plan_id = $1 ORDER BY customer_id, offer_id`,
    [planId],
  );
  return rows;
}

const textOf = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

function expectNeutralised(file: ExportRow[], view: ExportRow[]) {
  expect(file).toHaveLength(view.length);
  file.forEach((r, i) => {
    const v = view[i]!;
    expect(r.customer_id).toBe(`'${v.customer_id}`);
    expect(r.offer_id).toBe(textOf(v.offer_id));
    expect(r.channel_id).toBe(textOf(v.channel_id));
    expect(r.group).toBe(v.group);
    // numbers are ours: written as numbers, sign included
    expect(Number(r.expected_return)).toBe(Number(v.expected_return));
    expect(Number(r.cost)).toBe(Number(v.cost));
  });
}

const readCsv = async <T>(file: string): Promise<T[]> =>
  parse(await readFile(file, "utf8"), { columns: true });

describe("plan export", () => {
  it("the data set under test has formula-like ids in the plan", async () => {
    const view = await viewRows();
    expect(view.length).toBeGreaterThan(20);
    expect(view.some((r) => r.offer_id === OFFER)).toBe(true);
    expect(view.some((r) => r.channel_id === CHANNEL)).toBe(true);
    for (const p of ["=", "+", "-", "@"])
      expect(view.some((r) => r.customer_id.startsWith(p))).toBe(true);
  });

  it("writes formula-like ids as text", async () => {
    const file = path.join(dir, "plan.csv");
    await exportPlan(db.pool, planId, file);
    expectNeutralised(await readCsv<ExportRow>(file), await viewRows());
  });

  it("writes ids as they are with rawCsv", async () => {
    const file = path.join(dir, "plan-raw.csv");
    await exportPlan(db.pool, planId, file, { rawCsv: true });
    expect(await readCsv<ExportRow>(file)).toEqual(
      (await viewRows()).map((r) => ({
        ...r,
        expected_return: expect.any(String),
        cost: expect.any(String),
      })),
    );
  });

  it("CLI: plan export neutralises, --raw-csv does not", async () => {
    const safe = path.join(dir, "cli.csv");
    const raw = path.join(dir, "cli-raw.csv");
    expect(
      await offerplan("plan", "export", "--plan", String(planId), "--out", safe),
    ).toMatchObject({ code: 0 });
    expect(
      await offerplan("plan", "export", "--plan", String(planId), "--out", raw, "--raw-csv"),
    ).toMatchObject({ code: 0 });
    const view = await viewRows();
    expectNeutralised(await readCsv<ExportRow>(safe), view);
    expect((await readCsv<ExportRow>(raw)).map((r) => r.customer_id)).toEqual(
      view.map((r) => r.customer_id),
    );
  });

  it("CLI: report --format csv neutralises names, --raw-csv does not", async () => {
    const safe = path.join(dir, "report.csv");
    const raw = path.join(dir, "report-raw.csv");
    const args = ["report", "--plan", String(planId), "--format", "csv", "--out"];
    expect(await offerplan(...args, safe)).toMatchObject({ code: 0 });
    expect(await offerplan(...args, raw, "--raw-csv")).toMatchObject({ code: 0 });
    type Row = { section: string; key: string; metric: string; value: string };
    const s = await readCsv<Row>(safe);
    const r = await readCsv<Row>(raw);
    expect(s.find((x) => x.metric === "constraint_set")?.value).toBe("'=1+1 campaign");
    expect(r.find((x) => x.metric === "constraint_set")?.value).toBe("=1+1 campaign");
    expect(s.some((x) => x.key === `'${CHANNEL}`)).toBe(true);
    expect(s.some((x) => x.key === `'${OFFER}/${CHANNEL}`)).toBe(true);
    expect(r.some((x) => x.key === CHANNEL)).toBe(true);
    for (const row of s)
      for (const v of [row.section, row.key, row.metric]) expect(v).not.toMatch(/^[=+\-@\t\r]/);
  });
});
