// `offerplan report`: the paper's outputs in every format, checked against the plan's own rows;
// the HTML page is rendered by headless Chromium and checked on its DOM.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { createPrisma, type PrismaClient } from "../../src/db/prisma";
import { writeDataset } from "../../src/generate";
import { importDataset } from "../../src/ingest";
import { renderCsv } from "../../src/reports/csv";
import { renderHtml } from "../../src/reports/html";
import { saveConstraintSetByName } from "../../src/services/constraint-sets";
import { planReport, type PlanReport } from "../../src/services/plan-report";
import { createPlan, executePlan } from "../../src/services/plans";
import { describeWithChromium, renderInChromium } from "../support/chromium";
import { createTestDatabase, type TestDatabase } from "../support/db";

let db: TestDatabase;
let prisma: PrismaClient;
let dir: string;
let report: PlanReport;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
  dir = await mkdtemp(path.join(tmpdir(), "offerplan-report-"));
  await writeDataset({ customers: 1500, seed: 3, profile: "default", outDir: dir });
  await importDataset(db.pool, dir);
  const def = JSON.parse(await readFile(path.join(dir, "constraints.json"), "utf8"));
  const v = await saveConstraintSetByName(prisma, {
    ...def,
    name: "Q3 <retail> & co",
    budget: 700,
  });
  const plan = await createPlan(prisma, v.versionId, { method: "CLUSTER_LP", clusters: 10 });
  await executePlan(db.pool, prisma, plan.id);
  report = (await planReport(db.pool, plan.id))!;
});
afterAll(async () => {
  await prisma.$disconnect();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("plan report", () => {
  it("carries every channel and segment, consistent with the KPIs", () => {
    const k = report.kpis as { contacts: number; expectedReturn: number };
    expect(report.channels.map((c) => c.channel).sort()).toEqual(["branch", "call_centre", "mail"]);
    expect(report.channels.reduce((s, c) => s + c.contacts, 0)).toBe(k.contacts);
    expect(report.segments.reduce((s, c) => s + c.contacts, 0)).toBe(k.contacts);
    expect(report.offerChannel.reduce((s, c) => s + c.expectedReturn, 0)).toBeCloseTo(
      k.expectedReturn,
      6,
    );
  });

  it("writes a tidy CSV with every number of the report", () => {
    const rows: { section: string; key: string; metric: string; value: string }[] = parse(
      renderCsv(report),
      { columns: true },
    );
    const value = (section: string, key: string, metric: string) =>
      rows.find((r) => r.section === section && r.key === key && r.metric === metric)?.value;
    const k = report.kpis as { contacts: number; expectedReturn: number };
    expect(Number(value("kpis", "optimized", "contacts"))).toBe(k.contacts);
    expect(Number(value("kpis", "optimized", "expected_return"))).toBeCloseTo(k.expectedReturn, 6);
    expect(value("plan", String(report.id), "constraint_set")).toBe("Q3 <retail> & co");
    const budget = report.constraintReport.find((c) => c.name === "budget")!;
    expect(Number(value("constraint_report", "budget", "marginal_value"))).toBeCloseTo(
      budget.dual!,
      9,
    );
    expect(
      rows.filter((r) => r.section === "offer_channel_frequency" && r.metric === "contacts"),
    ).toHaveLength(report.offerChannel.length);
  });
});

describeWithChromium("HTML report in Chromium", () => {
  it("renders the paper's tables and charts, escaping names", async () => {
    const file = path.join(dir, "report.html");
    const html = renderHtml(report);
    expect(html).not.toMatch(/<script|https?:\/\//); // self-contained, no script
    await writeFile(file, html);
    const { dom, screenshotBytes } = await renderInChromium(file);
    expect(screenshotBytes).toBeGreaterThan(10_000);
    expect(dom).toContain("Q3 &lt;retail&gt; &amp; co");
    const section = (cls: string) => {
      const m = new RegExp(`<table class="${cls}">([\\s\\S]*?)</table>`).exec(dom);
      if (!m) throw new Error(`no table ${cls}`);
      return m[1]!;
    };
    const bodyRows = (cls: string) =>
      (section(cls).split("<tbody>")[1]!.match(/<tr>/g) ?? []).length;
    const offers = new Set(report.offerChannel.map((c) => c.offer));
    expect(bodyRows("frequencies")).toBe(offers.size);
    expect(bodyRows("channels")).toBe(3);
    expect(bodyRows("constraints")).toBe(report.constraintReport.length);
    expect(bodyRows("segments")).toBe(report.segments.length);
    const chart = (cls: string) => {
      const m = new RegExp(`<figure class="${cls}">([\\s\\S]*?)</figure>`).exec(dom);
      if (!m) throw new Error(`no chart ${cls}`);
      return (m[1]!.match(/<rect /g) ?? []).length;
    };
    expect(chart("chart-channels")).toBe(3);
    expect(chart("chart-offers")).toBe(offers.size);
    expect(chart("chart-return")).toBeGreaterThanOrEqual(2); // optimized, baseline (, bound)
    const priced = report.constraintReport.filter((c) => c.binding && c.dual);
    if (priced.length) expect(chart("chart-duals")).toBe(priced.length);
  });
});
