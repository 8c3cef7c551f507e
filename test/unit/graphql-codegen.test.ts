// The committed resolver types must be what `npm run codegen` makes from schema.graphql today:
// otherwise a schema change could slip past the typecheck.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.join(__dirname, "..", "..");

describe("generated resolver types", () => {
  it("are up to date with schema.graphql (run `npm run codegen`)", () => {
    const res = spawnSync(
      process.execPath,
      [
        path.join(root, "node_modules/@graphql-codegen/cli/cjs/bin.js"),
        "--config",
        "codegen.ts",
        "--check",
      ],
      { cwd: root, encoding: "utf8" },
    );
    expect(res.stdout + res.stderr).not.toMatch(/not match|outdated|changes/i);
    expect(res.status).toBe(0);
  });
});
