#!/usr/bin/env node
// Entry point of `npx offerplan`: runs the TypeScript sources through tsx, so the CLI works right
// after `npm ci` with no build step.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
// The Prisma client is generated into the source tree (gitignored); make it if a fresh clone lacks it.
if (!fs.existsSync(path.join(root, "src", "generated", "prisma", "client.ts"))) {
  execFileSync(process.execPath, [require.resolve("prisma/build/index.js"), "generate"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { DATABASE_URL: "postgresql://localhost/unused", ...process.env },
  });
}
require("tsx/cjs");
require("../src/cli/main.ts")
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
