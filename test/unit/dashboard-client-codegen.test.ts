// The example dashboard client's committed typed documents (examples/dashboard-client/src/gql)
// must be what `npm run codegen:client` makes today from schema.graphql and the example's
// graphql(...) calls: otherwise a schema change could break the example past the typecheck.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.join(__dirname, "..", "..");

describe("the dashboard client's generated documents", () => {
  it("are up to date with schema.graphql and the example's operations (run `npm run codegen:client`)", () => {
    const res = spawnSync(
      process.execPath,
      [
        path.join(root, "node_modules/@graphql-codegen/cli/cjs/bin.js"),
        "--config",
        "examples/dashboard-client/codegen.ts",
        "--check",
      ],
      { cwd: root, encoding: "utf8" },
    );
    const output = res.stdout + res.stderr;
    expect(output).not.toMatch(/stale|not match|outdated/i);
    expect(res.status).toBe(0);
  });
});
