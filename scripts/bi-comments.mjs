#!/usr/bin/env node
// The database's descriptions of the `bi` schema, generated from docs/bi.md so that the page and
// `COMMENT ON` never say different things:
//   node scripts/bi-comments.mjs                 COMMENT ON statements, on stdout
//   node scripts/bi-comments.mjs --into FILE     the same, replacing FILE's generated block
//     [--only VIEW,…]                           only those views' (a migration that adds a view)
//   node scripts/bi-comments.mjs --json          {object: comment, "object.column": comment}
// A migration that changes a view carries the block (--into its migration.sql);
// test/db/bi-views.test.ts compares --json with what the database holds.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SCHEMA = "bi";
const BEGIN = "-- BEGIN comments generated from docs/bi.md by scripts/bi-comments.mjs";
const END = "-- END comments generated from docs/bi.md";

// Functions are named with their argument types; their result columns cannot carry comments of
// their own, so the function's comment lists them.
const FUNCTION_ARGS = {
  plan_comparison: "integer, integer",
  wilson_interval: "integer, integer",
  uplift_interval: "integer, integer, integer, integer",
};

/** Markdown to a plain line: no code marks, one space between words. */
const plain = (text) => text.replace(/`/g, "").replace(/\s+/g, " ").trim();

/** {name, isFunction, description, columns: [[column, meaning]]} per `### ` section. */
export function sections(markdown) {
  return markdown
    .split(/^### /m)
    .slice(1)
    .map((section) => {
      const [heading, ...rest] = section.split("\n");
      const name = heading.split(/[\s(]/)[0];
      const body = rest.join("\n").trim();
      const description = plain(body.split(/\n\s*\n/)[0]);
      const columns = body
        .split("\n")
        .filter((l) => l.startsWith("| ") && !/^\| column\b/.test(l) && !/^\| -/.test(l))
        .map((l) => l.split("|").map((c) => c.trim()))
        .map((c) => [c[1], plain(c[3])]);
      return { name, isFunction: name in FUNCTION_ARGS, description, columns };
    });
}

/** object → comment: views and their columns, functions with their result columns. */
export function comments(markdown) {
  const out = {};
  for (const s of sections(markdown)) {
    if (s.isFunction) {
      const cols = s.columns.map(([c, m]) => `${c}: ${m}`).join("; ");
      out[`${s.name}(${FUNCTION_ARGS[s.name]})`] = `${s.description} Columns: ${cols}.`;
    } else {
      out[s.name] = s.description;
      for (const [c, m] of s.columns) out[`${s.name}.${c}`] = m;
    }
  }
  return out;
}

const literal = (text) => `'${text.replace(/'/g, "''")}'`;
const ident = (name) => (/^[a-z_][a-z0-9_]*$/.test(name) && name !== "group" ? name : `"${name}"`);

export function commentSql(markdown, only = null) {
  const mine = ([object]) => !only || only.includes(object.split(/[.(]/)[0]);
  const lines = Object.entries(comments(markdown))
    .filter(mine)
    .map(([object, text]) => {
      if (object.includes("("))
        return `COMMENT ON FUNCTION ${SCHEMA}.${object} IS ${literal(text)};`;
      const [view, column] = object.split(".");
      return column
        ? `COMMENT ON COLUMN ${SCHEMA}.${view}.${ident(column)} IS ${literal(text)};`
        : `COMMENT ON VIEW ${SCHEMA}.${view} IS ${literal(text)};`;
    });
  return [BEGIN, ...lines, END].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const markdown = readFileSync(path.join(root, "docs", "bi.md"), "utf8");
  const into = process.argv.indexOf("--into");
  if (process.argv.includes("--json")) {
    process.stdout.write(`${JSON.stringify(comments(markdown), null, 2)}\n`);
  } else if (into >= 0) {
    const file = process.argv[into + 1];
    const sql = readFileSync(file, "utf8");
    const start = sql.indexOf(BEGIN);
    const end = sql.indexOf(END);
    const onlyAt = process.argv.indexOf("--only");
    const block = commentSql(markdown, onlyAt >= 0 ? process.argv[onlyAt + 1].split(",") : null);
    const next =
      start >= 0 && end > start
        ? sql.slice(0, start) + block + sql.slice(end + END.length)
        : `${sql.trimEnd()}\n\n${block}\n`;
    writeFileSync(file, next);
  } else {
    process.stdout.write(`${commentSql(markdown)}\n`);
  }
}
