// `offerplan report`: the paper's outputs in every format, checked against the plan's own rows;
// the HTML page is rendered by headless Chromium and checked on its DOM.
import { createDb } from "../../src/services/db-handles";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { createPrisma, type PrismaClient } from "../../src/db/prisma";
import { writeDataset } from "../../src/generate";
import { importDataset } from "../../src/ingest";
import { renderCsv } from "../../src/reports/csv";
import { renderHtml } from "../../src/reports/html";
import { htmlToPdf } from "../../src/reports/pdf";
import { saveConstraintSetByName } from "../../src/services/constraint-sets";
import { planReport, type PlanReport } from "../../src/services/plan-report";
import { createPlan, executePlan } from "../../src/services/plans";
import { describeWithChromium, renderInChromium } from "../support/chromium";
import { runCli } from "../support/cli";
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
  const v = await saveConstraintSetByName(createDb(db.pool, prisma), {
    ...def,
    name: "Q3 <retail> & co",
    budget: 700,
  });
  const plan = await createPlan(createDb(db.pool, prisma), v.versionId, {
    method: "CLUSTER_LP",
    clusters: 10,
  });
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
  let dom: string;
  beforeAll(async () => {
    const file = path.join(dir, "report.html");
    const html = renderHtml(report);
    expect(html).not.toMatch(/<script|https?:\/\//); // self-contained, no script
    await writeFile(file, html);
    const rendered = await renderInChromium(file);
    expect(rendered.screenshotBytes).toBeGreaterThan(10_000);
    dom = rendered.dom;
  });

  const section = (cls: string) => {
    const m = new RegExp(`<table class="${cls}">([\\s\\S]*?)</table>`).exec(dom);
    if (!m) throw new Error(`no table ${cls}`);
    return m[1]!;
  };
  const bodyRows = (cls: string) =>
    (section(cls).split("<tbody>")[1]!.split("</tbody>")[0]!.match(/<tr>/g) ?? []).length;
  /** each bar's width, in order, from a chart's <rect>s */
  const bars = (cls: string) => {
    const m = new RegExp(`<figure class="${cls}">([\\s\\S]*?)</figure>`).exec(dom);
    if (!m) throw new Error(`no chart ${cls}`);
    return [...m[1]!.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((x) => Number(x[1]));
  };
  const text = () => dom.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

  it("renders the paper's tables with totals, escaping names", () => {
    expect(dom).toContain("Q3 &lt;retail&gt; &amp; co");
    const offers = new Set(report.offerChannel.map((c) => c.offer));
    expect(bodyRows("frequencies")).toBe(offers.size);
    expect(bodyRows("channels")).toBe(3);
    expect(bodyRows("constraints")).toBe(report.constraintReport.length);
    expect(bodyRows("segments")).toBe(report.segments.length);
    const k = report.kpis as { contacts: number };
    for (const cls of ["frequencies", "channels", "segments"])
      expect(section(cls)).toMatch(
        new RegExp(`<tfoot>.*Total.*${k.contacts.toLocaleString("en-US")}`),
      );
  });

  it("names offers and channels, with their ids in small print", () => {
    const [offerId, { name }] = Object.entries(report.names.offers)[0]!;
    expect(name).not.toBe(offerId);
    expect(section("frequencies")).toContain(`${name} <small class="id">${offerId}</small>`);
    expect(section("channels")).toContain(
      `${report.names.channels.call_centre!.name} <small class="id">call_centre</small>`,
    );
  });

  it("heads the page with run date, author, the set's version and its key settings", () => {
    const t = text();
    for (const term of [
      "Run",
      "Requested by",
      "Constraint set",
      "Budget",
      "Hurdle rate",
      "Computed from",
    ])
      expect(dom).toContain(`<dt>${term}</dt>`);
    expect(t).toContain("command line");
    expect(t).toContain("Q3 &lt;retail&gt; &amp; co, version 1");
    expect(t).toContain("$700.00");
    expect(t).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  });

  it("sets the optimized plan beside the ad-hoc one, in amounts and per cent", () => {
    const kpis = section("kpis");
    expect(kpis).toContain("difference %");
    const k = report.kpis as { expectedReturn: number; baseline: { expectedReturn: number } };
    const rel = (k.expectedReturn - k.baseline.expectedReturn) / k.baseline.expectedReturn;
    expect(kpis).toContain(`+${(rel * 100).toFixed(1)}%`);
    expect(kpis).toMatch(/[+−][\d.]+ pts/); // ROI difference in points
  });

  it("draws bars that differ where the data differ", () => {
    const totals = new Map<string, number>();
    for (const c of report.offerChannel)
      totals.set(c.offer, (totals.get(c.offer) ?? 0) + c.contacts);
    const offerBars = bars("chart-offers");
    expect(offerBars).toHaveLength(totals.size);
    expect(new Set(offerBars.map((w) => w.toFixed(1))).size).toBe(
      new Set([...totals.values()]).size,
    );
    // optimized and ad-hoc contacts, stacked by channel: the same channel's parts differ
    const stacked = bars("chart-channels");
    expect(stacked).toHaveLength(6);
    const adHoc = (report.kpis as { baseline: { byChannel: Record<string, { contacts: number }> } })
      .baseline.byChannel;
    report.channels.forEach((c, i) => {
      if (c.contacts !== adHoc[c.channel]!.contacts) expect(stacked[i]).not.toBe(stacked[i + 3]);
    });
    expect(bars("chart-difference").length).toBeGreaterThanOrEqual(2);
    expect(bars("chart-channel-delta")).toHaveLength(3);
    const priced = report.constraintReport.filter((c) => c.binding && c.dual);
    if (priced.length) expect(bars("chart-duals")).toHaveLength(priced.length);
  });

  it("says what each binding constraint is worth, with units and four decimals", () => {
    const budget = report.constraintReport.find((c) => c.name === "budget")!;
    expect(budget.binding).toBe(true);
    expect(text()).toContain(
      `One more dollar of budget would add $${budget.dual!.toFixed(2)} of expected return.`,
    );
    expect(section("constraints")).toContain(`$${budget.dual!.toFixed(4)} per $`);
  });

  it("prints to a PDF", async () => {
    const pdf = await htmlToPdf(renderHtml(report));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(20_000);
  });
});

describe("report command", () => {
  const cli = (...args: string[]) => runCli(db.url, "report", ...args);

  it("refuses what has no report, with a clear error and a non-zero exit", async () => {
    const failed = await db.pool.query<{ id: number }>(
      `INSERT INTO plan (version_number, constraint_set_version_id, status, method, parameters,
                         error, failed_in_phase, finished_at)
       SELECT 99, constraint_set_version_id, 'FAILED', method, parameters,
              'budget must be positive', 'load', now()
       FROM plan WHERE id = $1 RETURNING id`,
      [report.id],
    );
    const id = String(failed.rows[0]!.id);
    const r1 = await cli("--plan", id);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain(`plan ${id} failed in phase load: budget must be positive`);
    await db.pool.query("UPDATE plan SET status = 'QUEUED', error = NULL WHERE id = $1", [id]);
    const r2 = await cli("--plan", id, "--format", "html");
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`plan ${id} is QUEUED`);
    const r3 = await cli("--plan", "123456");
    expect([r3.code, r3.stderr.trim()]).toEqual([1, "offerplan: plan 123456 does not exist"]);
    const r4 = await cli("--plan", String(report.id), "--format", "docx");
    expect(r4.code).toBe(2);
    expect(r4.stderr).toContain("--format must be one of table, csv, json, html, pdf");
  });

  it("reports a plan without an ad-hoc plan only when asked to", async () => {
    const copy = await db.pool.query<{ id: number }>(
      `INSERT INTO plan (version_number, constraint_set_version_id, status, method, parameters,
                         kpis, finished_at)
       SELECT 98, constraint_set_version_id, 'SUCCEEDED', method, parameters,
              kpis - 'baseline', now()
       FROM plan WHERE id = $1 RETURNING id`,
      [report.id],
    );
    const id = String(copy.rows[0]!.id);
    const refused = await cli("--plan", id, "--format", "html");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("has no ad-hoc plan to compare with");
    const out = path.join(dir, "no-baseline.html");
    const allowed = await cli(
      "--plan",
      id,
      "--format",
      "html",
      "--allow-no-baseline",
      "--out",
      out,
    );
    expect(allowed.code).toBe(0);
    expect(await readFile(out, "utf8")).toContain("No ad-hoc plan to compare with");
  });
});
