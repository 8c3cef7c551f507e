// `offerplan analyze` as a user runs it: the points as a table or JSON, and on a terminal a
// progress line for the load and for each point as it starts (a pipe gets none of them).
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { BIN, runCli } from "../../support/cli";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import { generatedDataset, type GeneratedDataset } from "../api/helpers";

const run = promisify(execFile);
const BUDGETS = "12000,24000,36000";

let db: TestDatabase;
let data: GeneratedDataset;
let constraints: string;

beforeAll(async () => {
  [db, data] = await Promise.all([createTestDatabase(), generatedDataset(2_000, 5)]);
  expect((await runCli(db.url, "import", "--dir", data.dir)).code).toBe(0);
  constraints = path.join(data.dir, "constraints.json");
  await writeFile(constraints, JSON.stringify(data.constraints));
});

afterAll(async () => {
  await db?.drop();
  await data?.remove();
});

/** The command on a pseudo-terminal (util-linux `script`), as someone at a terminal sees it. */
async function onTerminal(...args: string[]): Promise<string> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(" ");
  const { stdout } = await run("script", ["-qec", command, "/dev/null"], {
    env: { ...process.env, DATABASE_URL: db.url },
  });
  return stdout;
}

describe("offerplan analyze", () => {
  it("prints the frontier's points as JSON, with no progress on a pipe", async () => {
    const res = await runCli(
      db.url,
      "analyze",
      "frontier",
      "--constraints",
      constraints,
      "--budgets",
      BUDGETS,
      "--method",
      "greedy",
      "--json",
    );
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as {
      kind: string;
      points: { parameter: number; expectedReturn: number; cost: number }[];
    };
    expect(out.kind).toBe("BUDGET_FRONTIER");
    expect(out.points.map((p) => p.parameter)).toEqual([12000, 24000, 36000]);
    // more budget never buys less, and no point spends more than its budget
    for (const [i, p] of out.points.entries()) {
      expect(p.cost).toBeLessThanOrEqual(p.parameter + 1e-6);
      if (i > 0) expect(p.expectedReturn).toBeGreaterThanOrEqual(out.points[i - 1]!.expectedReturn);
    }
  });

  it("shows the load and each point on a terminal, then the table", async () => {
    const text = await onTerminal(
      "analyze",
      "frontier",
      "--constraints",
      constraints,
      "--budgets",
      BUDGETS,
      "--method",
      "greedy",
    );
    const id = /analysis (\d+) \(BUDGET_FRONTIER\), 3 points in [\d.]+ s/.exec(text)?.[1];
    expect(id).toBeDefined();
    const steps = text
      .split("\r\x1b[K")
      .map((s) => s.trim())
      .filter((s) => s.startsWith(`analysis ${id}: `));
    expect(steps).toEqual([
      `analysis ${id}: loading`,
      `analysis ${id}: point 1, 0% done`,
      `analysis ${id}: point 2 of 3, 33% done`,
      `analysis ${id}: point 3 of 3, 67% done`,
      `analysis ${id}: point 3 of 3, 100% done`,
    ]);
  });
});
