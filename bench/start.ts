// CLI start-up benchmark: `npm run bench -- start [--runs 5] [--customers 100000] [--root DIR …]
// [--no-plan]`. Wall clock of whole CLI processes as a user starts them: `npx offerplan …` (npm's
// own start included) and `node bin/offerplan.js …` (without it), for `--version`,
// `summary --help` and a `plan run` of the cached N-customer dataset's constraints.json against a
// clone of the kept, imported bench database (dropped afterwards). Each command runs once
// unmeasured first (npx's cache of the project, tsx's compile cache), then --runs times; the
// table gives the median and the fastest run. --root (repeatable) measures other checkouts of the
// project, each with its own node_modules, e.g. the commit before a change beside this one.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { adminQuery, databaseUrl } from "../src/db/admin";
import { argValue, benchDataset, importedDatabase } from "./support";

const DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres";

interface Case {
  label: string;
  file: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

function once(root: string, c: Case): number {
  const t0 = performance.now();
  const res = spawnSync(c.file, c.args, {
    cwd: root,
    env: { ...process.env, ...c.env },
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - t0) / 1000;
  // A checkout from before --version existed still starts in full before it rejects the option.
  const noVersion =
    c.args.includes("--version") && /unknown option '--version'/.test(String(res.stderr));
  if (res.status !== 0 && !noVersion)
    throw new Error(`${c.label} failed (${res.status ?? res.signal}): ${String(res.stderr)}`);
  return seconds;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");

async function main() {
  const argv = process.argv.slice(2);
  const runs = Number(argValue(argv, "runs", "5"));
  const customers = Number(argValue(argv, "customers", "100000"));
  const given = argv.flatMap((a, i) => (a === "--root" && argv[i + 1] ? [argv[i + 1]!] : []));
  const roots = (given.length ? given : [join(__dirname, "..")]).map((r) => resolve(r));
  const withPlan = !argv.includes("--no-plan");
  for (const root of roots)
    if (!existsSync(join(root, "bin", "offerplan.js")))
      throw new Error(`${root}: no bin/offerplan.js`);

  // A row's command runs in every root; `bin` stands for that root's bin/offerplan.js.
  // npm's own start and exec, whatever it runs: the floor under every `npx offerplan` figure.
  const cases: Case[] = [{ label: "npx node -e 0", file: "npx", args: ["node", "-e", "0"] }];
  for (const [what, args] of [
    ["--version", ["--version"]],
    ["summary --help", ["summary", "--help"]],
  ] as const) {
    cases.push({ label: `npx offerplan ${what}`, file: "npx", args: ["offerplan", ...args] });
    cases.push({
      label: `node bin/offerplan.js ${what}`,
      file: process.execPath,
      args: ["bin", ...args],
    });
  }

  const server = process.env.DATABASE_URL ?? DEFAULT_SERVER;
  const clone = "offerplan_bench_start";
  if (withPlan) {
    const template = new URL(await importedDatabase(customers, 1, "default")).pathname.slice(1);
    const dir = await benchDataset(customers, 1, "default");
    await adminQuery(
      server,
      `DROP DATABASE IF EXISTS ${clone} WITH (FORCE)`,
      `CREATE DATABASE ${clone} TEMPLATE ${template}`,
    );
    const args = ["plan", "run", "--constraints", join(dir, "constraints.json")];
    const env = { DATABASE_URL: databaseUrl(server, clone) };
    const what = `plan run (${customers.toLocaleString("en-US")} customers)`;
    cases.push({ label: `npx offerplan ${what}`, file: "npx", args: ["offerplan", ...args], env });
  }

  // Roots take turns run by run, so that a change in the shared machine's load hits all alike.
  console.log(`${runs} runs each, load average before: ${load()}`);
  roots.forEach((r, i) => console.log(`root ${i + 1}: ${r}`));
  try {
    console.log(
      `| command | ${roots.map((_, i) => `root ${i + 1}: median (fastest) s`).join(" | ")} |`,
    );
    console.log(`| --- | ${roots.map(() => "---").join(" | ")} |`);
    for (const c of cases) {
      const inRoot = (root: string): Case => ({
        ...c,
        args: c.args.map((a) => (a === "bin" ? join(root, "bin", "offerplan.js") : a)),
      });
      const times: number[][] = roots.map(() => []);
      roots.forEach((root) => once(root, inRoot(root)));
      for (let run = 0; run < runs; run++)
        roots.forEach((root, i) => times[i]!.push(once(root, inRoot(root))));
      const cells = times.map((t) => {
        t.sort((a, b) => a - b);
        return `${t[Math.floor(t.length / 2)]!.toFixed(2)} (${t[0]!.toFixed(2)})`;
      });
      console.log(`| \`${c.label}\` | ${cells.join(" | ")} |`);
    }
  } finally {
    if (withPlan) await adminQuery(server, `DROP DATABASE IF EXISTS ${clone} WITH (FORCE)`);
  }
  console.log(`load average after: ${load()}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
