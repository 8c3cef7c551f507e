#!/usr/bin/env node
// Entry point of `npx offerplan`. It runs the JavaScript that `npm run build` compiles into dist/
// (`npm ci` builds it through the prepare script): compiling the TypeScript at every start cost
// seconds per command (docs/performance.md). When dist/ is missing or older than the sources it
// runs src/ through tsx instead, so a developer who edits src/ and does not rebuild runs their
// edit, never stale code.
//
// "Older" is decided by modification times: dist/.built carries the time its compile started
// (scripts/build.js), and any file or directory under src/ (a directory's time changes when a file
// in it is added, removed or renamed), or a tsconfig, that is newer means the build is stale.
// Walking src/ costs a few milliseconds; hashing the sources would cost more than the compile
// saves, and a check of dist/ alone would miss edits. Tools that set old times on purpose (cp -p,
// tar) can fool it; `npm run build` puts that right.
//
// The generated Prisma client (src/generated) is judged by prisma/schema.prisma instead, which is
// all it is made from: `prisma generate` rewrites it, unchanged, at times that say nothing about
// the build. The first `npx offerplan` in a project does exactly that: npx installs the project
// into its cache and runs its prepare and then its postinstall script.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const src = path.join(root, "src");
const dist = path.join(root, "dist");

/** why dist/ cannot be used, or null when it is up to date */
function staleReason() {
  let built;
  try {
    built = fs.statSync(path.join(dist, ".built")).mtimeMs;
    fs.statSync(path.join(dist, "cli", "main.js"));
  } catch {
    return "dist/ is not built";
  }
  for (const f of ["tsconfig.json", "tsconfig.build.json", "prisma/schema.prisma"]) {
    if (fs.statSync(path.join(root, f)).mtimeMs > built) return `${f} changed since the build`;
  }
  const generated = path.join(src, "generated");
  const dirs = [src];
  while (dirs.length) {
    const dir = dirs.pop();
    if (fs.statSync(dir).mtimeMs > built) return "src/ changed since the build";
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (p === generated) continue;
      if (e.isDirectory()) dirs.push(p);
      else if (fs.statSync(p).mtimeMs > built) return "src/ changed since the build";
    }
  }
  return null;
}

function runSources(reason) {
  // Only a person at a terminal needs to know why this start is slow; scripts and tests see the
  // same output whichever way the command runs.
  if (process.stderr.isTTY) {
    process.stderr.write(`offerplan: ${reason}, running the sources (slower); npm run build\n`);
  }
  // The Prisma client is generated into the source tree (gitignored); make it if a fresh clone
  // lacks it.
  if (!fs.existsSync(path.join(src, "generated", "prisma", "client.ts"))) {
    require("node:child_process").execFileSync(
      process.execPath,
      [require.resolve("prisma/build/index.js"), "generate"],
      {
        cwd: root,
        stdio: ["ignore", "ignore", "inherit"],
        env: { DATABASE_URL: "postgresql://localhost/unused", ...process.env },
      },
    );
  }
  require("tsx/cjs");
  return require("../src/cli/main.ts");
}

const reason = staleReason();
const cli = reason === null ? require("../dist/cli/main.js") : runSources(reason);
cli.main(process.argv).then((code) => {
  process.exitCode = code;
});
