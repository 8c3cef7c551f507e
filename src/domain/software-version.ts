// The running software's version, recorded on every plan: package.json's, found by walking up from
// this file so that it holds whether the code runs from src/ or from a compiled copy.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

let cached: string | undefined;

export function softwareVersion(): string {
  if (cached !== undefined) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "offerplan") return (cached = pkg.version ?? "unknown");
    }
    if (path.dirname(dir) === dir) return (cached = "unknown");
  }
}
