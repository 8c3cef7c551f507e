// Lists the functions in src/ longer than a limit (default 80 lines), longest first, so that a
// split can be measured: `node scripts/long-functions.mjs [limit]`. Generated code is left out.
// A function is any declaration, method, arrow or function expression; its length runs from its
// first line to its last, nested functions included (an inner function is listed on its own too).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const limit = Number(process.argv[2] ?? 80);
const root = new URL("..", import.meta.url).pathname;
const GENERATED = ["src/generated", "src/graphql/__generated__"];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (GENERATED.some((g) => relative(root, path).startsWith(g))) continue;
    if (statSync(path).isDirectory()) yield* files(path);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) yield path;
  }
}

function nameOf(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    return parent.name.text;
  }
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  return "(anonymous)";
}

const found = [];
for (const file of files(join(root, "src"))) {
  const text = readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > limit)
        found.push({ file: relative(root, file), line: first + 1, name: nameOf(node), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
found.sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file));
for (const f of found)
  console.log(`${String(f.lines).padStart(4)}  ${f.file}:${f.line}  ${f.name}`);
console.log(`${found.length} functions over ${limit} lines`);
