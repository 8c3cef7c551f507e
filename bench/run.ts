// `npm run bench -- <name> [args]`: one entry point for the benchmarks.
import path from "node:path";

const benches: Record<string, string> = {
  import: "import.ts",
  optimize: "optimize.ts",
  frontier: "frontier.ts",
  "optimize-core": "optimize-core.ts",
  quality: "quality.ts",
  load: "load.ts",
  lp: "lp.ts",
  generate: "generate-speed.ts",
  api: "api.ts",
  policies: "policies.ts",
  cancel: "cancel.ts",
  start: "start.ts",
  threads: "threads.ts",
};

const [name, ...rest] = process.argv.slice(2);
const file = name ? benches[name] : undefined;
if (!file) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join("|")}> [args]`);
  process.exit(2);
}
process.argv = [process.argv[0]!, path.join(__dirname, file), ...rest];
void import(path.join(__dirname, file));
