#!/usr/bin/env node
// `npm run build`, also run by `npm ci` and `npm install` (the prepare script): compiles src/ to
// CommonJS in dist/ with tsc, then writes dist/.built. bin/offerplan.js runs dist/ only while
// nothing under src/ is newer than that stamp. The stamp carries the time the compile started,
// not ended: a source saved during the compile then counts as newer than the build, so its edit
// can never be silently missing from what runs.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const stamp = path.join(root, "dist", ".built");

let tsc;
try {
  tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
} catch {
  // A production install (`npm ci --omit=dev`) has no TypeScript; the CLI then runs the sources
  // through tsx, which is a runtime dependency for this reason.
  console.warn("offerplan build: typescript is not installed, dist/ not built");
  process.exit(0);
}

const started = new Date();
// A failed compile must not leave an older stamp behind that vouches for a half-written dist/.
fs.rmSync(stamp, { force: true });
try {
  execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], {
    cwd: root,
    stdio: "inherit",
  });
} catch {
  // Under `npm ci` / `npm install` a type error must not fail the whole install: without a stamp
  // the CLI runs the sources, and `npm run typecheck` names the error. `npm run build` fails.
  if (process.env.npm_lifecycle_event === "prepare") {
    console.warn("offerplan build: tsc failed, dist/ not built; the CLI runs the sources");
    process.exit(0);
  }
  process.exit(1);
}
fs.writeFileSync(stamp, `built from src/ by scripts/build.js at ${started.toISOString()}\n`);
fs.utimesSync(stamp, started, started);
