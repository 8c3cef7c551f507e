// The CLI as a user runs it: `npx offerplan …` in a child process against a test database.
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { adminQuery, databaseUrl } from "../../../src/db/admin";
import { migrationNames } from "../../../src/db/migrate";
import { runCli } from "../../support/cli";
import { createTestDatabase, type TestDatabase } from "../../support/db";

const run = promisify(execFile);
const bin = path.resolve(__dirname, "..", "..", "..", "bin", "offerplan.js");

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), "offerplan-cli-"));
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const offerplan = (...args: string[]) => runCli(db.url, ...args);

describe("npx offerplan", () => {
  it("demo generates, imports, summarises and optimizes", async () => {
    const res = await offerplan("demo", "--customers", "2000", "--dir", path.join(dir, "demo"));
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/generated 2,000 customers/);
    expect(res.stdout).toMatch(/customers\.csv +2000 +2000 +0 +0/);
    expect(res.stdout).toMatch(/2,000 customers \(\d+ do-not-contact\)/);
    expect(res.stdout).toMatch(/plan 1 \(run 1 of ".*" version 1\): SUCCEEDED, method CLUSTER_LP/);
    expect(res.stdout).toMatch(/expected return +\$[\d,]+ +\$[\d,]+/);
    // the budget binds: what is left of it buys no further contact
    expect(res.stdout).toMatch(/^budget +[\d.,]+ +800 +[\d.]+ +\d[\d.]* +yes/m);
  });

  it("import --json reports an idempotent re-import", async () => {
    const res = await offerplan("import", "--dir", path.join(dir, "demo"), "--json");
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.stdout) as {
      files: { file: string; inserted: number; updated: number }[];
    };
    expect(summary.files.map((f) => [f.file, f.inserted, f.updated])).toEqual([
      ["channels.csv", 0, 0],
      ["offers.csv", 0, 0],
      ["customers.csv", 0, 0],
      ["scores.csv", 0, 0],
    ]);
  });

  it("rejects a bad file with file, line and column, exit 1, nothing written", async () => {
    const bad = path.join(dir, "bad");
    await rm(bad, { recursive: true, force: true });
    await run("mkdir", ["-p", bad]);
    await writeFile(
      path.join(bad, "customers.csv"),
      "customer_id,segment,do_not_contact\nNEW1,mass,false\nNEW2,mass,maybe\n",
    );
    const res = await offerplan("import", "--dir", bad);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/import rejected, nothing was written/);
    expect(res.stderr).toMatch(/customers\.csv:3 \[do_not_contact\]/);
    const n = await db.pool.query(
      "SELECT count(*)::int AS n FROM customer WHERE external_id LIKE 'NEW%'",
    );
    expect(n.rows[0].n).toBe(0);
  });

  it("plan run with a bad constraints file names the field", async () => {
    const file = path.join(dir, "bad-constraints.json");
    await writeFile(file, JSON.stringify({ name: "x", budget: -5 }));
    const res = await offerplan("plan", "run", "--constraints", file);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/budget: must be >= 0/);
  });

  it("plan export writes the contract's CSV", async () => {
    const out = path.join(dir, "plan.csv");
    const res = await offerplan("plan", "export", "--plan", "1", "--out", out);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/wrote [\d,]+ assignments/);
  });

  it("migrate on an empty database reports each migration on stderr as it is applied", async () => {
    const server = process.env.OFFERPLAN_TEST_SERVER!;
    const name = `offerplan_t_empty_${process.pid}`;
    await adminQuery(server, `DROP DATABASE IF EXISTS ${name}`, `CREATE DATABASE ${name}`);
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, "migrate"], {
        env: { ...process.env, DATABASE_URL: databaseUrl(server, name) },
      });
      const names = migrationNames();
      expect(stdout).toBe(`applied: ${names.join(", ")}\n`);
      const lines = stderr.trimEnd().split("\n");
      expect(lines[0]).toBe(`applying ${names.length} migration(s)`);
      expect(lines.filter((l) => l.startsWith("applied migration"))).toEqual(
        names.map((n, i) =>
          expect.stringMatching(
            new RegExp(`^applied migration ${i + 1}/${names.length}: ${n} \\([\\d.]+ s\\)$`),
          ),
        ),
      );
    } finally {
      await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });

  it.each(["summary", "history summary --json", "serve --help"])(
    "%s ends quietly with exit 0 when the reader closes the pipe first (| head)",
    async (command) => {
      const child = spawn(process.execPath, [bin, ...command.split(" ")], {
        env: { ...process.env, DATABASE_URL: db.url },
        stdio: ["ignore", "pipe", "pipe"],
      });
      // closed before the CLI has started, so its first write meets a closed pipe
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(stderr).toBe("");
      expect(code).toBe(0);
    },
  );
});
